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

    /// A shell in a fresh `width`×`height` terminal, in the repository (where prompts/ and themes/ are).
    @discardableResult
    func terminal(width: Int = 120, height: Int = 40) throws -> TmuxSession {
        let session = try TmuxSession(width: width, height: height, directory: TestResources.repositoryRoot,
                                      environment: environment)
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

    var ledgerPath: String { home.appendingPathComponent("data/tokenworks/ledger.sqlite").path }
    var sessionsDirectory: URL { home.appendingPathComponent("data/tokenworks/sessions") }

    /// The test's ledger, read with the real store.
    func ledger() throws -> LedgerStore { try LedgerStore(path: ledgerPath) }

    /// Runs the binary to the end with the test's environment (`stdin` piped in).
    func runBinary(_ arguments: [String], stdin: String? = nil) -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        return TestResources.run(binary.path, arguments, stdin: stdin, environment: env,
                                 currentDirectory: TestResources.repositoryRoot)
    }

    /// What `tokenworks ask` answers to `prompt` with the same flags: the oracle for the streamed text.
    func askAnswer(_ prompt: String, flags: String = ChatHarness.fastFlags) -> String {
        runBinary(["ask"] + flags.split(separator: " ").map(String.init) + [prompt]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until `file` exists (written by the shell after the program ended).
    func waitForFile(_ file: URL, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: file.path) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
