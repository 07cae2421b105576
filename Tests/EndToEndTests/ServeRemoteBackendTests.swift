// Tokenworks' own remote backend talking to `tokenworks serve` (the real binary on loopback, the real default
// model): the same greedy answer as `tokenworks ask`, usage in both ledgers, tool calls through an agent run,
// the API key, the limits, and concurrent requests batching on one model.
import Agents
import Foundation
import Ledger
import TestSupport
import XCTest

final class ServeRemoteBackendTests: XCTestCase {
    /// One server for the tests that need only the defaults plus a key and small limits.
    nonisolated(unsafe) static var shared: ServeHarness?
    static let key = "tw-test-key-7f3a"

    static func server() throws -> ServeHarness {
        if let shared { return shared }
        let harness = try ServeHarness(["--api-key-env", "TW_SERVE_KEY", "--max-tokens", "64", "--max-body-bytes", "8192"],
                                       extraEnvironment: ["TW_SERVE_KEY": key])
        shared = harness
        return harness
    }

    override class func tearDown() {
        shared?.stop()
        shared = nil
        super.tearDown()
    }

    private func backend(_ server: ServeHarness, retries: Int = 0) -> RemoteBackend {
        RemoteBackend(endpoint: server.endpoint(key: "TW_SERVE_KEY", retries: retries),
                      environment: ["TW_SERVE_KEY": Self.key])
    }

    func testRemoteAnswerIsTheGreedyAnswerAskGives() async throws {
        let server = try Self.server()
        let prompt = "What is the capital of France?"
        let ask = TestResources.run(try ChatHarness.locateBinary().path,
                                    ["ask", "--temperature", "0", "--max-tokens", "16", "--spec", "none", prompt],
                                    environment: server.environment, currentDirectory: TestResources.repositoryRoot)
        XCTAssertEqual(ask.status, 0, ask.output)
        let request = ModelRequest(messages: [AgentMessage(.user, prompt)], maxTokens: 16, temperature: 0)
        let (text, usage, error) = await drain(backend(server).stream(request))
        XCTAssertNil(error)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines),
                       ask.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let served = try XCTUnwrap(usage)
        XCTAssertGreaterThan(served.promptTokens, 5)
        XCTAssertEqual(served.generatedTokens, 16)
        XCTAssertEqual(served.stopReason, "length")
        XCTAssertGreaterThan(served.timeToFirstToken, 0)
    }

    func testServedCallsLandInTheServersLedgerWithTheReportedUsage() async throws {
        let server = try Self.server()
        let request = ModelRequest(messages: [AgentMessage(.user, "Name a colour.")], maxTokens: 6, temperature: 0)
        let before = try await server.servedRecords().count
        let first = await drain(backend(server).stream(request))
        let second = await drain(backend(server).stream(request))
        XCTAssertNil(first.error)
        let usage = try XCTUnwrap(second.usage)
        // The same prompt again is read from the cache the first request left behind.
        XCTAssertGreaterThan(usage.cachedTokens, 0)
        let records = try await server.servedRecords()
        XCTAssertEqual(records.count, before + 2)
        let last = try XCTUnwrap(records.max { $0.startedAt < $1.startedAt })
        XCTAssertEqual(last.model, "smol")
        XCTAssertEqual(last.tokens.prompt, usage.promptTokens)
        XCTAssertEqual(last.tokens.cached, usage.cachedTokens)
        XCTAssertEqual(last.tokens.generated, usage.generatedTokens)
        XCTAssertEqual(last.details?["route"], .string("/v1/chat/completions"))
        XCTAssertGreaterThan(last.computeSeconds, 0)
    }

    func testAnAgentOnTheRemoteModelCallsItsToolAndBothLedgersRecordIt() async throws {
        let server = try Self.server()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-remote-agent-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clientLedger = try LedgerStore(path: directory.appendingPathComponent("client.sqlite").path)
        let remote = backend(server)
        var profile = AgentProfile(name: "remote-calc", systemPrompt: "You compute with the calculator.",
                                   tools: ["calculator"], maxTokensPerCall: 48, toolFirst: true)
        profile.budget.maxSteps = 2
        let environment = AgentEnvironment(workspace: try Workspace(root: directory.path),
                                           profiles: ProfileLibrary(directories: [], promptDirectories: []),
                                           backends: { _ in remote }, ledger: clientLedger)
        let recorder = Locked<[AgentEvent]>([])
        let result = await AgentRunner(environment: environment).run(
            profile: profile, task: "What is 17 times 23?", events: EventSink { e in recorder.mutate { $0.append(e) } })
        XCTAssertNotEqual(result.stop.description.prefix(6), "failed", "\(result.stop)")
        let tools = recorder.value.compactMap { event -> ToolCallInfo? in
            if case .toolStarted(let info) = event { return info }
            return nil
        }
        XCTAssertEqual(tools.first?.tool, "calculator")
        let records = try await clientLedger.records(matching: LedgerFilter())
        let models = records.filter { $0.kind == .model }
        XCTAssertFalse(models.isEmpty)
        XCTAssertTrue(models.allSatisfy { $0.model == "smol" && $0.tokens.prompt > 0 })
        XCTAssertTrue(records.contains { $0.kind == .tool && $0.tool == "calculator" })
        let served = try await server.servedRecords()
        XCTAssertGreaterThanOrEqual(served.count, models.count)
    }

    func testTooLargeMaxTokensIsRefusedNamingTheField() async throws {
        let server = try Self.server()
        let request = ModelRequest(messages: [AgentMessage(.user, "hi")], maxTokens: 100)
        let (_, _, error) = await drain(backend(server, retries: 2).stream(request))
        XCTAssertEqual("\(try XCTUnwrap(error))", "smol answered HTTP 400: 'max_tokens' must be from 1 to 64, found 100")
    }

    func testABodyOverTheLimitIsRefused() async throws {
        let server = try Self.server()
        let request = ModelRequest(messages: [AgentMessage(.user, String(repeating: "long text ", count: 2000))], maxTokens: 4)
        let (_, _, error) = await drain(backend(server).stream(request))
        XCTAssertEqual("\(try XCTUnwrap(error))", "smol answered HTTP 413: the request body is larger than 8192 bytes; "
                       + "send less, or start the server with a larger --max-body-bytes")
    }

    func testEveryRouteWantsTheKey() async throws {
        let server = try Self.server()
        for key in [nil, "wrong-key"] as [String?] {
            let client = OpenAIClient(endpoint: server.endpoint(key: key == nil ? nil : "K"), environment: ["K": key ?? ""])
            for path in ["models", "no/such/route"] {
                do {
                    _ = try await client.get(path)
                    XCTFail("GET \(path) without the right key succeeded")
                } catch {
                    XCTAssertEqual("\(error)", "smol answered HTTP 401: missing or wrong API key: send the header "
                                   + "'Authorization: Bearer KEY'")
                }
            }
        }
        let models = try await OpenAIClient(endpoint: server.endpoint(key: "K"), environment: ["K": Self.key]).get("models")
        XCTAssertEqual(models["data"]?.arrayValue?.first?["id"], "smol")
    }

    func testConcurrentRequestsBatchOnTheModel() async throws {
        let server = try Self.server()
        let remote = backend(server)
        let prompts = ["Count to ten.", "Name three fruits.", "Describe the sea.", "Write a short greeting."]
        let results = await withTaskGroup(of: (String, (any Error)?).self) { group in
            for prompt in prompts {
                group.addTask {
                    let r = await drain(remote.stream(ModelRequest(messages: [AgentMessage(.user, prompt)], maxTokens: 40,
                                                                   temperature: 0)))
                    return (r.text, r.error)
                }
            }
            var all: [(String, (any Error)?)] = []
            for await r in group { all.append(r) }
            return all
        }
        XCTAssertEqual(results.count, 4)
        for (text, error) in results {
            XCTAssertNil(error)
            XCTAssertFalse(text.isEmpty)
        }
        let records = try await server.servedRecords().suffix(4)
        XCTAssertGreaterThan(records.map(\.meanBatchSize).max() ?? 0, 1.2,
                            "concurrent requests should decode together: \(records.map(\.meanBatchSize))")
    }
}

final class ServeQueueLimitTests: XCTestCase {
    func testRequestsBeyondTheQueueAreRefusedWith429AndAJSONError() async throws {
        let server = try ServeHarness(["--max-running", "1", "--max-waiting", "1"])
        defer { server.stop() }
        let remote = RemoteBackend(endpoint: server.endpoint(retries: 0))
        let errors = await withTaskGroup(of: String?.self) { group in
            for i in 0..<5 {
                group.addTask {
                    let request = ModelRequest(messages: [AgentMessage(.user, "Tell a story number \(i).")], maxTokens: 48,
                                               temperature: 0)
                    return await drain(remote.stream(request)).error.map { "\($0)" }
                }
            }
            var all: [String?] = []
            for await e in group { all.append(e) }
            return all
        }
        let refused = errors.compactMap { $0 }
        XCTAssertGreaterThanOrEqual(refused.count, 1, "5 requests against 1 running + 1 waiting were all admitted")
        XCTAssertLessThanOrEqual(refused.count, 3)
        for message in refused {
            XCTAssertTrue(message.hasPrefix("smol is rate limiting (429) and still was after 1 attempt: the server is busy ("),
                          message)
        }
    }
}

