// One `tokenworks serve` process for a test: the real built binary on a free loopback port, the real default
// model, a private data folder (so the ledger is the test's own), stopped with SIGTERM when the test ends.
import Agents
import Foundation
import Ledger
import TestSupport
import XCTest

/// Why the server could not be started.
struct ServeFailure: Error, CustomStringConvertible {
    var description: String
}

final class ServeHarness {
    let home: URL
    let environment: [String: String]
    let port: Int
    let process: Process
    private let output: ServeOutput

    /// The API root clients use.
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    var ledgerPath: String { home.appendingPathComponent("data/tokenworks/ledger.sqlite").path }

    /// Starts `tokenworks serve --port 0 ARGUMENTS` and waits until it listens.
    init(_ arguments: [String] = [], extraEnvironment: [String: String] = [:]) throws {
        let binary = try ChatHarness.locateBinary()
        let model = try TestResources.requireDefaultModel()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-serve-" + UUID().uuidString)
        for sub in ["data", "config", "cache"] {
            try FileManager.default.createDirectory(at: home.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var env = ProcessInfo.processInfo.environment
        env.merge([
            "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "TOKENWORKS_MODEL": model,
            "TOKENWORKS_PRICES": TestResources.repositoryRoot.appendingPathComponent("pricing/prices.yaml").path,
        ]) { _, new in new }
        env.merge(extraEnvironment) { _, new in new }
        environment = env
        process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0", "--model-name", "smol", "--threads", "2"] + arguments
        process.environment = env
        process.currentDirectoryURL = TestResources.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        output = ServeOutput()
        let sink = output
        pipe.fileHandleForReading.readabilityHandler = { handle in sink.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        var found: Int?
        while Date() < deadline, process.isRunning {
            if let port = Self.port(in: output.text) {
                found = port
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let found else {
            process.terminate()
            throw ServeFailure(description: "tokenworks serve did not start listening; it printed:\n\(output.text)")
        }
        port = found
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: home)
    }

    /// SIGTERM, then waits (at most 10 s) for the graceful shutdown.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Everything the server printed so far.
    var printed: String { output.text }

    static func port(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// The endpoint of this server as the remote backend sees it.
    func endpoint(name: String = "smol", key: String? = nil, retries: Int = 0, timeout: Double = 120) -> RemoteEndpoint {
        RemoteEndpoint(name: name, baseURL: baseURL, model: "smol", apiKeyVariable: key, timeout: timeout,
                       maxRetries: retries, backoff: 0.05)
    }

    /// The server's ledger, read with the real store.
    func ledger() throws -> LedgerStore { try LedgerStore(path: ledgerPath) }

    /// The server's model records, oldest first.
    func servedRecords() async throws -> [CallRecord] {
        try await ledger().records(matching: LedgerFilter()).filter { $0.agent == "serve" }
    }
}

/// The server's output, collected from its pipe.
final class ServeOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

/// Every event of a backend call, or the error it ended with.
func drain(_ stream: AsyncThrowingStream<ModelEvent, any Error>) async -> (text: String, usage: ModelUsage?, error: (any Error)?) {
    var text = ""
    var usage: ModelUsage?
    do {
        for try await event in stream {
            switch event {
            case .token(let t), .text(let t): text += t
            case .finished(let u): usage = u
            case .prefilled: break
            }
        }
        return (text, usage, nil)
    } catch {
        return (text, usage, error)
    }
}
