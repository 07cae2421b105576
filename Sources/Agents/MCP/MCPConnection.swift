// One running MCP server: the child process, the stdio pipes, and the SDK client speaking JSON-RPC over them.
import Foundation
import MCP
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A started MCP server and its client session.
///
/// An actor because several agents (a planner and its sub-agents) may call the same server's tools at once;
/// the SDK client matches answers to requests by id, so calls may overlap.
public actor MCPConnection {
    public let config: MCPServerConfig
    private let process: Process
    private let client: Client
    private let toServer: Pipe
    private let fromServer: Pipe
    private let errors: StderrTail
    /// What the server said about itself in the handshake.
    public let serverName: String

    /// Starts the server and completes the MCP handshake within `config.timeout` seconds.
    public static func start(_ config: MCPServerConfig) async throws(AgentsError) -> MCPConnection {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [config.command] + config.arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(config.environment) { _, new in new }
        process.environment = environment
        if let directory = config.directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let toServer = Pipe(), fromServer = Pipe(), errorPipe = Pipe()
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = errorPipe
        let errors = StderrTail()
        errorPipe.fileHandleForReading.readabilityHandler = { handle in errors.append(handle.availableData) }
        do {
            try process.run()
        } catch {
            throw AgentsError.mcpServerFailed(server: config.name,
                                              reason: "cannot start `\(config.command)`: \(error.localizedDescription)")
        }
        let transport = StdioTransport(
            input: FileDescriptor(rawValue: fromServer.fileHandleForReading.fileDescriptor),
            output: FileDescriptor(rawValue: toServer.fileHandleForWriting.fileDescriptor))
        let client = Client(name: "tokenworks", version: "1.0")
        let result: Initialize.Result?
        // A server that dies while starting (a missing module, a bad argument) is reported at once, with its
        // stderr, rather than after the whole time limit.
        let exited: @Sendable () -> String? = {
            process.isRunning ? nil : "it exited with status \(process.terminationStatus) before the handshake"
        }
        do {
            result = try await Self.limit(config.timeout, unless: exited) { try await client.connect(transport: transport) }
        } catch {
            if process.isRunning { process.terminate() } else { errorPipe.fileHandleForReading.readabilityHandler = nil
                errors.append(errorPipe.fileHandleForReading.readDataToEndOfFile()) }
            Task { await client.disconnect() }
            throw AgentsError.mcpServerFailed(server: config.name, reason: Self.reason("\(error)", errors: errors))
        }
        guard let result else {
            process.terminate()
            Task { await client.disconnect() }
            let exited = process.isRunning ? "" : " (it exited with status \(process.terminationStatus))"
            throw AgentsError.mcpServerFailed(
                server: config.name,
                reason: Self.reason("no answer to the handshake within \(formatSeconds(config.timeout)) s\(exited)",
                                    errors: errors))
        }
        return MCPConnection(config: config, process: process, client: client, toServer: toServer,
                             fromServer: fromServer, errors: errors, serverName: result.serverInfo.name)
    }

    private init(config: MCPServerConfig, process: Process, client: Client, toServer: Pipe, fromServer: Pipe,
                 errors: StderrTail, serverName: String) {
        self.config = config
        self.process = process
        self.client = client
        self.toServer = toServer
        self.fromServer = fromServer
        self.errors = errors
        self.serverName = serverName
    }

    /// `problem`, with the last lines the server wrote on stderr (why a Python server died, say).
    static func reason(_ problem: String, errors: StderrTail) -> String {
        let tail = errors.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return tail.isEmpty ? problem : problem + "; its stderr ends: " + String(tail.suffix(400))
    }

    /// Every tool the server offers (following pagination).
    public func listTools() async throws(AgentsError) -> [MCP.Tool] {
        var tools: [MCP.Tool] = []
        var cursor: String?
        repeat {
            do {
                let page = try await Self.limit(config.timeout) { [client, cursor] in
                    try await client.listTools(cursor: cursor)
                }
                guard let page else {
                    throw AgentsError.mcpServerFailed(server: config.name, reason: "tools/list timed out")
                }
                tools += page.tools
                cursor = page.nextCursor
            } catch let error as AgentsError {
                throw error
            } catch {
                throw AgentsError.mcpServerFailed(server: config.name,
                                                  reason: Self.reason("tools/list failed: \(error)", errors: errors))
            }
        } while cursor != nil
        return tools
    }

    /// Calls `tool` with `arguments`; the server's own tool errors come back with `isError` set.
    public func call(_ tool: String, arguments: [String: Value]) async throws(AgentsError)
        -> (content: [MCP.Tool.Content], isError: Bool)
    {
        let client = self.client
        do {
            let result = try await Self.limit(config.timeout) {
                () async throws -> (content: [MCP.Tool.Content], isError: Bool?) in
                try await client.callTool(name: tool, arguments: arguments)
            }
            guard let result else {
                throw AgentsError.mcpCallFailed(server: config.name, tool: tool,
                                                reason: "no answer within \(formatSeconds(config.timeout)) s")
            }
            return (result.content, result.isError ?? false)
        } catch let error as AgentsError {
            throw error
        } catch {
            if !process.isRunning {
                throw AgentsError.mcpCallFailed(
                    server: config.name, tool: tool,
                    reason: Self.reason("the server exited with status \(process.terminationStatus)", errors: errors))
            }
            throw AgentsError.mcpCallFailed(server: config.name, tool: tool, reason: "\(error)")
        }
    }

    /// `operation`'s result, or nil when `seconds` pass first.
    ///
    /// Why not a task group: a group waits for its children, and a request to a server that died is never
    /// answered (the SDK does not fail pending requests when the stream ends), so the group would wait
    /// forever. The operation runs in its own task, cancelled when the time is up, and is not waited for.
    /// - Parameter unless: checked every 50 ms; when it returns a reason, the wait ends at once with that
    ///   reason as the error (the server process is gone, so no answer can come).
    static func limit<T: Sendable>(_ seconds: Double, unless stopped: (@Sendable () -> String?)? = nil,
                                   _ operation: @escaping @Sendable () async throws -> T) async throws -> T?
    {
        let once = OnceFlag()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T?, any Error>) in
            let work = Task {
                do {
                    let value = try await operation()
                    if once.claim() { continuation.resume(returning: value) }
                } catch {
                    if once.claim() { continuation.resume(throwing: error) }
                }
            }
            Task {
                let deadline = Date().addingTimeInterval(max(0, seconds))
                while Date() < deadline {
                    let step = min(0.05, max(0, deadline.timeIntervalSinceNow))
                    try? await Task.sleep(nanoseconds: UInt64(step * 1e9))
                    if let reason = stopped?() {
                        if once.claim() {
                            work.cancel()
                            continuation.resume(throwing: StoppedWaiting(reason: reason))
                        }
                        return
                    }
                    if once.isClaimed { return }
                }
                if once.claim() {
                    work.cancel()
                    continuation.resume(returning: nil)
                }
            }
        }
    }

    /// Whether the server process is still running.
    public var isRunning: Bool { process.isRunning }

    /// Ends the session and the server process (SIGTERM, then SIGKILL if it lingers).
    public func stop() async {
        await client.disconnect()
        try? toServer.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(nanoseconds: 20_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Why a wait ended before its time limit (the server exited); its description is the reason.
struct StoppedWaiting: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// True exactly once: whoever claims it first resumes the continuation.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    var isClaimed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return claimed
    }

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}

/// The last few kilobytes a server wrote on stderr (kept for error messages; the rest is dropped).
final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        defer { lock.unlock() }
        data.append(chunk)
        if data.count > 4096 { data = data.suffix(4096) }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
