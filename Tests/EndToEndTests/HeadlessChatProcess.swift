// A running `tokenworks chat --headless`: lines in on stdin, its output lines collected as they arrive, so a
// test can wait for a marker (`# turn 1 done`), kill the process at any moment and see what it had reported.
import Foundation
import XCTest

/// One headless chat process with the harness's private folders.
final class HeadlessChatProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private var ended = false

    /// Starts `tokenworks chat --headless ARGUMENTS` in `directory` with the harness's environment.
    init(_ harness: ChatHarness, arguments: [String], directory: URL? = nil,
         extraEnvironment: [String: String] = [:]) throws {
        var env = ProcessInfo.processInfo.environment
        env.merge(harness.environment) { _, new in new }
        env.merge(extraEnvironment) { _, new in new }
        process.executableURL = harness.binary
        process.arguments = ["chat", "--headless"] + ChatHarness.fastFlags.split(separator: " ").map(String.init)
            + arguments
        process.environment = env
        process.currentDirectoryURL = directory ?? harness.home
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            self.lock.lock()
            if chunk.isEmpty { self.ended = true } else { self.buffer.append(chunk) }
            self.lock.unlock()
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        output.fileHandleForReading.readabilityHandler = nil
    }

    /// Every complete line printed so far.
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// Sends one line (a message or a slash command).
    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Waits until a line starts with `prefix`; returns all lines so far, or nil after `timeout` seconds or
    /// when the process ends first.
    ///
    /// The seconds counted are seconds this test ran: on a shared machine a benchmark lock may SIGSTOP the test
    /// and the chat together for minutes, and a wall-clock deadline then expired before the chat could print
    /// (the "session did not open" failures of the SIGKILL test). A gap longer than `Self.pause` between two
    /// looks is such a pause and is not counted.
    func wait(for prefix: String, timeout: Double) -> [String]? {
        var waited = 0.0
        var last = Date()
        while true {
            let now = lines
            if now.contains(where: { $0.hasPrefix(prefix) }) { return now }
            lock.lock()
            let over = ended
            lock.unlock()
            if over && !process.isRunning { return lines.contains(where: { $0.hasPrefix(prefix) }) ? lines : nil }
            if waited >= timeout { return nil }
            Thread.sleep(forTimeInterval: 0.02)
            waited += Self.running(since: &last)
        }
    }

    /// A gap between two looks longer than this is the test being paused, not time spent waiting.
    static let pause = 1.0

    /// Seconds since `last` (then moved to now), or a single tick when the gap was a pause.
    private static func running(since last: inout Date) -> Double {
        let now = Date()
        let gap = now.timeIntervalSince(last)
        last = now
        return gap > pause ? 0.02 : gap
    }

    /// SIGKILL, then waits for the process to be gone. Returns the lines it had printed.
    func killHard() -> [String] {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.05)  // the last chunk of output still in the pipe
        return lines
    }

    /// Sends `/quit`, closes stdin and waits for a normal exit (at most `timeout` seconds).
    func quit(timeout: Double = 60) -> Int32? {
        send("/quit")
        try? input.fileHandleForWriting.close()
        var waited = 0.0
        var last = Date()
        while process.isRunning && waited < timeout {
            Thread.sleep(forTimeInterval: 0.05)
            waited += Self.running(since: &last)
        }
        guard !process.isRunning else { return nil }
        return process.terminationStatus
    }

    /// How many of the session's calls the process said the ledger had committed (its last `# call N recorded`;
    /// N counts the session's calls, those of earlier processes included), or `before` when it said none.
    static func recordedCalls(_ lines: [String], before: Int = 0) -> Int {
        lines.compactMap { line -> Int? in
            guard line.hasPrefix("# call "), line.hasSuffix(" recorded") else { return nil }
            return Int(line.dropFirst(7).dropLast(9))
        }.max() ?? before
    }

    /// The session id and transcript length from the `# session ID (N entries)` line.
    static func session(_ lines: [String]) -> (id: String, entries: Int)? {
        guard let line = lines.first(where: { $0.hasPrefix("# session ") && $0.hasSuffix("entries)") }) else {
            return nil
        }
        let parts = line.split(separator: " ")
        guard parts.count >= 4, let count = Int(parts[3].dropFirst()) else { return nil }
        return (String(parts[2]), count)
    }
}
