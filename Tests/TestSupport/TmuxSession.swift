// Drives a real terminal for end-to-end tests: a shell in a private tmux server (its own socket, killed at the
// end and never touching the user's tmux), keys sent with send-keys, the screen read with capture-pane, and
// waits that poll the screen with a deadline instead of sleeping.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the tmux driver could not do what a test asked.
public enum TmuxError: Error, CustomStringConvertible {
    case unavailable(String)
    case commandFailed(arguments: [String], status: Int32, output: String)

    public var description: String {
        switch self {
        case .unavailable(let why): return "tmux is not usable: \(why): install tmux (apt-get install tmux)"
        case .commandFailed(let arguments, let status, let output):
            return "tmux \(arguments.joined(separator: " ")) failed (exit \(status)): \(output)"
        }
    }
}

/// One shell in a detached tmux session on a private server.
public final class TmuxSession {
    /// The private server's socket name (`tmux -L <socket>`).
    public let socket: String
    public let target = "tw"
    private let tmux: String
    private var killed = false

    /// Starts `bash` (no profile, no rc files) in a `width`×`height` window, in `directory`, with
    /// `environment` added to the server's. Returns once the prompt shows.
    public init(width: Int = 120, height: Int = 40, directory: URL, environment: [String: String] = [:]) throws {
        guard let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw TmuxError.unavailable("no tmux binary found") }
        self.tmux = tmux
        self.socket = "tw-e2e-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        var arguments = ["-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)",
                         "-c", directory.path]
        // No job control in the shell (`set +m` before every prompt): a program started from it stays in the
        // terminal's foreground group even if something stops and continues it (a debugger, a machine-wide
        // pause), instead of being parked as a stopped background job that never reads its keys again.
        let env = ["HISTFILE": "/dev/null", "PROMPT_COMMAND": "set +m"].merging(environment) { _, new in new }
        for (key, value) in env.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments += ["bash --noprofile --norc"]
        do {
            try run(arguments)
            serverPID = pid_t((try? run(["display-message", "-p", "-t", target, "#{pid}"]))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            try run(["set-option", "-t", target, "remain-on-exit", "on"])
            guard waitForScreen(timeout: 10, { $0.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } })
                    != nil else {
                throw TmuxError.unavailable("the shell prompt did not appear within 10 s; the screen was:\n"
                                            + lastScreen.joined(separator: "\n"))
            }
        } catch {
            kill()  // a half-started server must not outlive the test
            throw error
        }
    }

    deinit { kill() }

    /// Runs a tmux command on this server.
    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        let (status, output) = Self.execute(tmux, ["-L", socket] + arguments)
        guard status == 0 else { throw TmuxError.commandFailed(arguments: arguments, status: status, output: output) }
        return output
    }

    /// How long one tmux command may take; a command is a round trip to the server, so this only ends waits
    /// on a wedged server.
    static let commandTimeout = 20.0

    /// Runs tmux to its end (see `ChildProcess` for why not Foundation's Process), killed at the deadline.
    static func execute(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let r = ChildProcess.run(executable, arguments, timeout: commandTimeout)
        guard !r.timedOut else {
            return (r.status, "no answer within \(Int(commandTimeout)) s (killed); output so far: \(r.output)")
        }
        return (r.status, r.output)
    }

    /// Types `text` literally (no key names), without pressing Enter.
    public func type(_ text: String) {
        _ = try? run(["send-keys", "-t", target, "-l", text])
    }

    /// Presses keys by tmux name: "Enter", "C-c", "C-q", "Escape", "F1".
    public func press(_ keys: String...) {
        _ = try? run(["send-keys", "-t", target] + keys)
    }

    /// Types a shell command line and presses Enter.
    public func runInShell(_ line: String) {
        type(line)
        press("Enter")
    }

    /// The visible screen, one string per row (trailing blanks trimmed by tmux).
    public func capture() -> [String] {
        let text = (try? run(["capture-pane", "-p", "-t", target])) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The visible screen with its colours and attributes as SGR escape sequences (`capture-pane -e`), one
    /// string per row: for tests of what colours a program actually sent.
    public func captureWithAttributes() -> [String] {
        let text = (try? run(["capture-pane", "-e", "-p", "-t", target])) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The parameter lists of every SGR sequence (`ESC [ … m`) in `lines`, split at ';' ("38;5;234" →
    /// [38, 5, 234]); an empty list is a reset.
    public static func graphicRenditions(in lines: [String]) -> [[Int]] {
        var out: [[Int]] = []
        for line in lines {
            var rest = Substring(line)
            while let start = rest.range(of: "\u{1B}[") {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { break }
                if rest[end] == "m" { out.append(rest[..<end].split(separator: ";").compactMap { Int($0) }) }
                rest = rest[end...]
            }
        }
        return out
    }

    /// Polls the screen every 50 ms until `condition` holds (returning that screen) or `timeout` seconds pass
    /// (returning nil; `lastScreen` then shows what was there).
    /// Time the test process spent stopped does not count (see `PollDeadline`).
    public func waitForScreen(timeout: Double, _ condition: ([String]) -> Bool) -> [String]? {
        var deadline = PollDeadline(seconds: timeout)
        while true {
            let screen = capture()
            lastScreen = screen
            if condition(screen) { return screen }
            if deadline.hasPassed() { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits until some row contains `text`.
    public func waitFor(_ text: String, timeout: Double) -> [String]? {
        waitForScreen(timeout: timeout) { $0.contains { $0.contains(text) } }
    }

    /// The screen seen by the last wait, for failure messages.
    public private(set) var lastScreen: [String] = []

    /// Resizes the window (the program gets SIGWINCH as from a real terminal).
    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pid of the process in the pane (the shell).
    public func panePID() -> Int32? {
        let text = (try? run(["display-message", "-p", "-t", target, "#{pane_pid}"])) ?? ""
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops this test's tmux server (only this one: it is addressed by its private socket). Killing the
    /// session first hangs up the pane, so the program under test gets SIGHUP as from a closed terminal; the
    /// server itself is killed outright if it outlives `kill-server`.
    public func kill() {
        guard !killed else { return }
        killed = true
        _ = Self.execute(tmux, ["-L", socket, "kill-session", "-t", target])
        _ = Self.execute(tmux, ["-L", socket, "kill-server"])
        guard let serverPID else { return }
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline {
            if sendSignal(serverPID, 0) != 0 { return }  // gone
            Thread.sleep(forTimeInterval: 0.05)
        }
        _ = sendSignal(serverPID, SIGKILL)
    }

    /// The server's process id, read once it runs (nil if tmux would not tell).
    private var serverPID: pid_t?
}

/// `kill(2)`, named apart from `TmuxSession.kill()`.
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}
