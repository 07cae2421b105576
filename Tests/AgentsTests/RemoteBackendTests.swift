// The remote backend against a real HTTP server on loopback: streaming, usage (cached tokens included),
// tool calls, the API key, and what it does when the network or the server misbehaves.
import Agents
import Foundation
import XCTest

final class RemoteBackendTests: XCTestCase {
    private func endpoint(_ stub: RemoteStubServer, retries: Int = 2, timeout: Double = 10,
                          key: String? = nil) -> RemoteEndpoint {
        RemoteEndpoint(name: "stub", baseURL: stub.baseURL, model: "stub-model", apiKeyVariable: key,
                       timeout: timeout, maxRetries: retries, backoff: 0.01)
    }

    private let hello = ModelRequest(messages: [AgentMessage(.user, "hi")], maxTokens: 8)

    func testStreamedPiecesBecomeTokensAndUsageComesFromTheServer() async throws {
        let stub = try await RemoteStubServer([RemoteStubServer.completion(["Hel", "lo", "!"], prompt: 11, cached: 4)])
        defer { stub.stop() }
        let (events, error) = await collect(RemoteBackend(endpoint: endpoint(stub)).stream(hello))
        XCTAssertNil(error)
        XCTAssertEqual(events.compactMap { if case .token(let t) = $0 { return t } else { return nil } }, ["Hel", "lo", "!"])
        let usage = try XCTUnwrap(events.usage)
        XCTAssertEqual([usage.promptTokens, usage.cachedTokens, usage.generatedTokens], [11, 4, 3])
        XCTAssertEqual(usage.stopReason, "stop")
        XCTAssertGreaterThanOrEqual(usage.timeToFirstToken, 0)
        XCTAssertTrue(events.contains(.prefilled(promptTokens: 11, cachedTokens: 4)))
    }

    func testRequestAsksForStreamingWithUsageAndTheEndpointsModel() async throws {
        let stub = try await RemoteStubServer([RemoteStubServer.completion(["ok"])])
        defer { stub.stop() }
        _ = await collect(RemoteBackend(endpoint: endpoint(stub)).stream(hello))
        let body = try JSON(parsing: try XCTUnwrap(stub.requests.first).body)
        XCTAssertEqual(body["model"], "stub-model")
        XCTAssertEqual(body["stream"], true)
        XCTAssertEqual(body["stream_options"]?["include_usage"], true)
        XCTAssertEqual(body["max_tokens"], 8)
        XCTAssertEqual(stub.requests.first?.path, "/v1/chat/completions")
    }

    func testRateLimitedRequestsAreRetriedUntilTheyGoThrough() async throws {
        let limited = StubAnswer.status(429, #"{"error":{"message":"slow down"}}"#, retryAfter: "0")
        let stub = try await RemoteStubServer([limited, limited, RemoteStubServer.completion(["fine"])])
        defer { stub.stop() }
        let (events, error) = await collect(RemoteBackend(endpoint: endpoint(stub, retries: 3)).stream(hello))
        XCTAssertNil(error)
        XCTAssertEqual(events.text, "fine")
        XCTAssertEqual(stub.requests.count, 3)
    }

    func testPersistentRateLimitEndsWithAClearError() async throws {
        let stub = try await RemoteStubServer([.status(429, #"{"error":{"message":"quota exceeded"}}"#)])
        defer { stub.stop() }
        let (_, error) = await collect(RemoteBackend(endpoint: endpoint(stub, retries: 2)).stream(hello))
        XCTAssertEqual("\(try XCTUnwrap(error))", "stub is rate limiting (429) and still was after 3 attempts: quota "
                       + "exceeded; wait, or raise max_retries for the endpoint")
        XCTAssertEqual(stub.requests.count, 3)
    }

    func testServerErrorsAreRetriedThenReported() async throws {
        let stub = try await RemoteStubServer([.status(503, #"{"error":{"message":"loading model"}}"#)])
        defer { stub.stop() }
        let (_, error) = await collect(RemoteBackend(endpoint: endpoint(stub, retries: 1)).stream(hello))
        XCTAssertEqual("\(try XCTUnwrap(error))", "stub answered HTTP 503: loading model (after 2 attempts)")
    }

    func testBadRequestIsNotRetried() async throws {
        let stub = try await RemoteStubServer([.status(400, #"{"error":{"message":"'max_tokens' must be an integer"}}"#)])
        defer { stub.stop() }
        let (_, error) = await collect(RemoteBackend(endpoint: endpoint(stub, retries: 3)).stream(hello))
        XCTAssertEqual("\(try XCTUnwrap(error))", "stub answered HTTP 400: 'max_tokens' must be an integer")
        XCTAssertEqual(stub.requests.count, 1)
    }

    func testASilentServerTimesOut() async throws {
        var slow = RemoteStubServer.completion(["late"])
        slow.delay = 3
        let stub = try await RemoteStubServer([slow])
        defer { stub.stop() }
        let started = Date()
        let (_, error) = await collect(RemoteBackend(endpoint: endpoint(stub, retries: 1, timeout: 0.3)).stream(hello))
        XCTAssertEqual("\(try XCTUnwrap(error))", "stub sent nothing for 0.3 s (2 attempts); raise timeout_seconds for "
                       + "the endpoint or check the server's load")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
    }

    func testAClosedPortIsReportedAsUnreachableAfterRetries() async throws {
        let stub = try await RemoteStubServer([RemoteStubServer.completion(["x"])])
        let closed = stub.baseURL
        stub.stop()
        try await Task.sleep(nanoseconds: 300_000_000)
        let endpoint = RemoteEndpoint(name: "gone", baseURL: closed, model: "m", maxRetries: 1, backoff: 0.01)
        let (_, error) = await collect(RemoteBackend(endpoint: endpoint).stream(hello))
        XCTAssertEqual("\(try XCTUnwrap(error))", "cannot reach gone (connection refused) after 2 attempts; check that the "
                       + "server runs and the base URL is right")
    }

    func testTheAPIKeyComesFromTheNamedVariable() async throws {
        let stub = try await RemoteStubServer([RemoteStubServer.completion(["ok"])])
        defer { stub.stop() }
        let backend = RemoteBackend(endpoint: endpoint(stub, key: "STUB_KEY"), environment: ["STUB_KEY": "sk-test-1"])
        _ = await collect(backend.stream(hello))
        XCTAssertEqual(stub.requests.first?.authorization, "Bearer sk-test-1")
    }

    func testAMissingAPIKeyVariableIsNamed() async throws {
        let stub = try await RemoteStubServer([RemoteStubServer.completion(["ok"])])
        defer { stub.stop() }
        let backend = RemoteBackend(endpoint: endpoint(stub, key: "STUB_KEY"), environment: [:])
        let (_, error) = await collect(backend.stream(hello))
        XCTAssertEqual("\(try XCTUnwrap(error))", "endpoint stub needs an API key: set the environment variable STUB_KEY")
        XCTAssertTrue(stub.requests.isEmpty)
    }

    func testStreamedToolCallsBecomeTheNativeCallText() async throws {
        let events = [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"calculator","arguments":""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"expression\": "}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"2+2\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":30,"completion_tokens":9}}"#,
            "[DONE]",
        ]
        let stub = try await RemoteStubServer([.stream(events)])
        defer { stub.stop() }
        let (result, error) = await collect(RemoteBackend(endpoint: endpoint(stub)).stream(hello))
        XCTAssertNil(error)
        XCTAssertEqual(ToolCallFormat.qwen.parse(result.text), .toolCall(name: "calculator", arguments: JSONObject([("expression", "2+2")])))
        XCTAssertEqual(result.usage?.stopReason, "tool_calls")
    }

    func testAMidStreamErrorEventEndsTheCall() async throws {
        let stub = try await RemoteStubServer([.stream([#"{"choices":[{"index":0,"delta":{"content":"par"}}]}"#,
                                                        #"{"error":{"message":"model crashed"}}"#])])
        defer { stub.stop() }
        let (events, error) = await collect(RemoteBackend(endpoint: endpoint(stub)).stream(hello))
        XCTAssertEqual(events.text, "par")
        XCTAssertEqual("\(try XCTUnwrap(error))", "stub answered HTTP 200: model crashed")
    }
}
