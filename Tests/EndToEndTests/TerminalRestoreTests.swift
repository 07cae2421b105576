// The terminal is given back on every exit path of the full-screen chat, checked under tmux by comparing
// `stty -a` before and after: quit (Ctrl-C twice), SIGTERM, SIGHUP, SIGQUIT and crashes (SIGSEGV, SIGABRT,
// SIGILL — what a trap while rendering raises), and a closed terminal ends the process.
import Foundation
import TestSupport
import XCTest

final class TerminalRestoreTests: XCTestCase {
    /// Starts the chat in a shell that records `stty -a` before and after it and the chat's pid; returns
    /// the files and the pid once the workbench is drawn.
    private func startChat(_ h: ChatHarness, _ tmux: TmuxSession) throws -> (before: URL, after: URL, pid: Int32) {
        let before = h.home.appendingPathComponent("stty-before")
        let after = h.home.appendingPathComponent("stty-after")
        let pidFile = h.home.appendingPathComponent("pid")
        // The Swift runtime's backtracer (slow to symbolicate, and it asks at the terminal) is off here: what is
        // tested is that our handler gives the terminal back before the crash goes on.
        tmux.runInShell("stty -a > '\(before.path)'; sh -c 'echo $$ > \"\(pidFile.path)\"; "
                        + "SWIFT_BACKTRACE=enable=no exec \(h.chatCommand())'; "
                        + "stty -a > '\(after.path)'")
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (before, after, try XCTUnwrap(Int32(text)))
    }

    /// Ends the chat with `signal` and checks the shell got its terminal back exactly as it was.
    private func assertSignalRestoresTheTerminal(_ signal: Int32, _ name: String) throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let (before, after, pid) = try startChat(h, tmux)
        XCTAssertEqual(kill(pid, signal), 0)
        XCTAssertTrue(h.waitForFile(after, timeout: 20), "\(name): the shell did not come back; screen:\n"
                      + tmux.capture().joined(separator: "\n"))
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(try String(contentsOf: after, encoding: .utf8), try String(contentsOf: before, encoding: .utf8),
                       "\(name) left the terminal changed")
        let screen = tmux.capture()
        XCTAssertFalse(ChatScreen(screen).isWorkbench, "\(name): the alternate screen is still shown")
    }

    func testQuitWithCtrlCTwiceRestoresTheTerminal() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let (before, after, _) = try startChat(h, tmux)
        tmux.press("C-c")
        try h.wait(tmux, "no quit prompt after one Ctrl-C", timeout: 5) { $0.contains { $0.contains("again to quit") } }
        tmux.press("C-c")
        XCTAssertTrue(h.waitForFile(after, timeout: 20), "the program did not end")
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(try String(contentsOf: after, encoding: .utf8), try String(contentsOf: before, encoding: .utf8))
    }

    func testSIGTERMRestoresTheTerminal() throws { try assertSignalRestoresTheTerminal(SIGTERM, "SIGTERM") }

    func testSIGHUPRestoresTheTerminal() throws { try assertSignalRestoresTheTerminal(SIGHUP, "SIGHUP") }

    func testSIGQUITRestoresTheTerminal() throws { try assertSignalRestoresTheTerminal(SIGQUIT, "SIGQUIT") }

    func testACrashWithSIGSEGVRestoresTheTerminal() throws { try assertSignalRestoresTheTerminal(SIGSEGV, "SIGSEGV") }

    func testAnAbortRestoresTheTerminal() throws { try assertSignalRestoresTheTerminal(SIGABRT, "SIGABRT") }

    /// A Swift trap (a failed check while rendering) is SIGILL on x86-64.
    func testATrapWithSIGILLRestoresTheTerminal() throws { try assertSignalRestoresTheTerminal(SIGILL, "SIGILL") }

    func testClosingTheTerminalEndsTheChat() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let (_, _, pid) = try startChat(h, tmux)
        try tmux.run(["kill-pane", "-t", tmux.target])
        let deadline = Date().addingTimeInterval(20)
        while kill(pid, 0) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertNotEqual(kill(pid, 0), 0, "the chat outlived its terminal")
    }
}
