// What every end-to-end chat test needs: the real built binary, the real default model, a private data folder
// (XDG_* in a temp dir, so the ledger and sessions are the test's own) and a shell in a private tmux server.
import Foundation
import Ledger
import TestSupport
import XCTest

/// A failed expectation about the terminal, with the screen as it was (thrown errors fail the test).
struct ScreenFailure: Error, CustomStringConvertible {
    var what: String
    var screen: [String]
    var description: String { what + "; the screen was:\n" + screen.joined(separator: "\n") }
}

/// One test's world: folders, environment, terminal.
final class ChatHarness {
    let home: URL
    let binary: URL
    let model: String
    let environment: [String: String]
    private(set) var tmux: TmuxSession?

    /// Greedy and short, so every run is fast and gives the same text.
    static let fastFlags = "--temperature 0 --max-tokens 24"

    init() throws {
        binary = try Self.locateBinary()
        model = try TestResources.requireDefaultModel()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-e2e-" + UUID().uuidString)
        for sub in ["data", "config", "cache"] {
            try FileManager.default.createDirectory(at: home.appendingPathComponent(sub),
                                                    withIntermediateDirectories: true)
        }
        environment = [
            "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "TOKENWORKS_MODEL": model,
            "TOKENWORKS_PRICES": TestResources.repositoryRoot.appendingPathComponent("pricing/prices.yaml").path,
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        ]
    }

    deinit {
        tmux?.kill()
        try? FileManager.default.removeItem(at: home)
    }

    /// `tokenworks` next to the test bundle, else `.build/release/tokenworks` in the repository
    /// (TOKENWORKS_BINARY wins over both).
    static func locateBinary() throws -> URL {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["TOKENWORKS_BINARY"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        let bundle = Bundle(for: ChatHarness.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("tokenworks"))
        candidates.append(TestResources.repositoryRoot.appendingPathComponent(".build/release/tokenworks"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
        throw ScreenFailure(what: "the tokenworks binary is not built (looked at "
                            + candidates.map(\.path).joined(separator: ", ") + "): run `swift build -c release`",
                            screen: [])
    }

    /// A shell in a fresh `width`×`height` terminal, in `directory` (by default the repository, where
    /// prompts/ and themes/ are; elsewhere the binary finds them above its own path).
    @discardableResult
    func terminal(width: Int = 120, height: Int = 40,
                  directory: URL = TestResources.repositoryRoot) throws -> TmuxSession {
        let session = try TmuxSession(width: width, height: height, directory: directory, environment: environment)
        tmux = session
        return session
    }

    /// The chat command line (binary path quoted for the shell).
    func chatCommand(_ arguments: String = "", flags: String = ChatHarness.fastFlags) -> String {
        "'\(binary.path)' chat \(flags) \(arguments)"
    }

    /// Starts the chat in the terminal and waits for the workbench to be drawn.
    func startChat(_ tmux: TmuxSession, arguments: String = "", flags: String = ChatHarness.fastFlags) throws {
        tmux.runInShell(chatCommand(arguments, flags: flags))
        try wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
    }

    /// Waits for `condition` on the screen or throws with the screen attached.
    @discardableResult
    func wait(_ tmux: TmuxSession, _ what: String, timeout: Double,
              _ condition: ([String]) -> Bool) throws -> [String] {
        guard let screen = tmux.waitForScreen(timeout: timeout, condition) else {
            throw ScreenFailure(what: what, screen: tmux.lastScreen)
        }
        return screen
    }

    /// Sends a message and waits until its reply has finished and the session shows `calls` calls.
    @discardableResult
    func send(_ text: String, _ tmux: TmuxSession, calls: Int, timeout: Double = 90) throws -> [String] {
        tmux.type(text)
        tmux.press("Enter")
        return try wait(tmux, "the reply to '\(text)' did not complete", timeout: timeout) { lines in
            let s = ChatScreen(lines)
            return !s.isGenerating && s.costCallCount == calls
        }
    }

    /// Writes an agent profile into the test's config folder (where `ProfileLibrary.standard` looks first).
    func writeProfile(_ name: String, _ yaml: String) throws {
        let folder = home.appendingPathComponent("config/tokenworks/agents")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(yaml.utf8).write(to: folder.appendingPathComponent(name + ".yaml"))
    }

    /// Writes a prompt file into the test's config folder (searched before the repository's prompts/).
    func writePrompt(_ name: String, _ text: String) throws {
        let folder = home.appendingPathComponent("config/tokenworks/prompts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    var ledgerPath: String { home.appendingPathComponent("data/tokenworks/ledger.sqlite").path }
    var sessionsDirectory: URL { home.appendingPathComponent("data/tokenworks/sessions") }

    /// The test's ledger, read with the real store.
    func ledger() throws -> LedgerStore { try LedgerStore(path: ledgerPath) }

    /// How long one run of the binary to its end may take (a short greedy answer on a loaded machine).
    static let binaryTimeout = 120.0

    /// Runs the binary to the end with the test's environment (`stdin` as its input), killed at the deadline;
    /// the output then says so.
    func runBinary(_ arguments: [String], stdin: String? = nil) -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let r = ChildProcess.run(binary.path, arguments, stdin: stdin, environment: env,
                                 directory: TestResources.repositoryRoot, timeout: Self.binaryTimeout)
        guard !r.timedOut else {
            return (r.status, "tokenworks \(arguments.joined(separator: " ")) did not finish within "
                    + "\(Int(Self.binaryTimeout)) s and was killed; its output:\n\(r.output)")
        }
        return (r.status, r.output)
    }

    /// What `tokenworks ask` answers to `prompt` with the same flags: the oracle for the streamed text.
    func askAnswer(_ prompt: String, flags: String = ChatHarness.fastFlags) -> String {
        runBinary(["ask"] + flags.split(separator: " ").map(String.init) + [prompt]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until `file` exists and its text is `complete` (the writer may be mid-write when it appears), or
    /// throws with the terminal's screen.
    @discardableResult
    func waitForFile(_ file: URL, _ tmux: TmuxSession, _ what: String, timeout: Double,
                     complete: (String) -> Bool = { !$0.isEmpty }) throws -> String {
        var deadline = PollDeadline(seconds: timeout)
        while true {
            if let text = try? String(contentsOf: file, encoding: .utf8), complete(text) { return text }
            if deadline.hasPassed() { throw ScreenFailure(what: what + " (no complete \(file.lastPathComponent) "
                                                        + "within \(Int(timeout)) s)", screen: tmux.capture()) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits until `file` exists (written by the shell after the program ended); false at the deadline. The
    /// throwing `waitForFile(_:_:_:timeout:complete:)` also waits for the whole text and reports the screen.
    func waitForFile(_ file: URL, timeout: Double) -> Bool {
        var deadline = PollDeadline(seconds: timeout)
        while !deadline.hasPassed() {
            if FileManager.default.fileExists(atPath: file.path) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return FileManager.default.fileExists(atPath: file.path)
    }

    /// A shell command that writes `stty -a` into `file` all at once (through a renamed temporary file), so a
    /// test that sees the file sees all of it.
    static func saveTerminalSettings(to file: URL) -> String {
        "stty -a > '\(file.path).tmp' && mv '\(file.path).tmp' '\(file.path)'"
    }
}
