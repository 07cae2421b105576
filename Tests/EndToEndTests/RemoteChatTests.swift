// The chat on a remote model: `tokenworks chat --model ENDPOINT` where the endpoint (config.yaml, or inline
// MODEL@URL) is a real `tokenworks serve` on loopback. The reply is the greedy answer `ask` gives locally, the
// call lands in the chat's ledger with the server's usage and a latency measured on this side, and a missing
// key is a clear error before anything starts.
import Foundation
import Ledger
import TestSupport
import XCTest

final class RemoteChatTests: XCTestCase {
    private let prompt = "What is the capital of France?"

    /// The greedy answer of the local model to `prompt`, as `ask` prints it.
    private func localAnswer(_ harness: ChatHarness) throws -> String {
        let ask = harness.runBinary(["ask", "--temperature", "0", "--max-tokens", "24", "--spec", "none", prompt])
        XCTAssertEqual(ask.status, 0, ask.output)
        return ask.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func writeConfig(_ harness: ChatHarness, _ yaml: String) throws {
        let folder = harness.home.appendingPathComponent("config/tokenworks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try yaml.write(to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
    }

    func testChatOnAConfiguredEndpointStreamsTheGreedyAnswerAndRecordsTheCall() async throws {
        let server = try ServeHarness()
        let harness = try ChatHarness()
        let expected = try localAnswer(harness)
        try writeConfig(harness, "endpoints:\n  served:\n    base_url: \(server.baseURL)\n    model: smol\n")

        let chat = try HeadlessChatProcess(harness, arguments: ["--model", "served"])
        XCTAssertNotNil(chat.wait(for: "# session ", timeout: 30), chat.lines.joined(separator: "\n"))
        chat.send(prompt)
        let lines = try XCTUnwrap(chat.wait(for: "# turn 1 done", timeout: 60), chat.lines.joined(separator: "\n"))
        let reply = lines.filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(reply, expected, lines.joined(separator: "\n"))
        XCTAssertEqual(chat.quit(), 0)

        let records = try await harness.ledger().records(matching: LedgerFilter()).filter { $0.kind == .model && $0.agent != "ask" }
        XCTAssertEqual(records.count, 1, "\(records)")
        let call = try XCTUnwrap(records.first)
        XCTAssertEqual(call.model, "served")
        XCTAssertEqual(call.outcome, .ok)
        XCTAssertEqual(call.tokens.generated, 24, "the server's usage: --max-tokens 24 was reached")
        XCTAssertGreaterThan(call.tokens.prompt, 5)
        XCTAssertGreaterThan(call.timeToFirstToken ?? 0, 0, "latency is measured on the client side")
        XCTAssertEqual(call.computeSeconds, 0, "a remote call uses no local compute")
        XCTAssertEqual(call.details?["endpoint"], .string(server.baseURL))

        let served = try await server.servedRecords()
        XCTAssertEqual(served.last?.tokens.generated, 24, "the server recorded the same call")
        XCTAssertEqual(served.last?.tokens.prompt, call.tokens.prompt)
    }

    func testInlineRemoteModelWorksInTheLineChat() throws {
        let server = try ServeHarness()
        let harness = try ChatHarness()
        let expected = try localAnswer(harness)
        let run = harness.runBinary(["chat", "--plain", "--temperature", "0", "--max-tokens", "24",
                                     "--model", "smol@\(server.baseURL)"], stdin: prompt + "\n")
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertEqual(run.output.trimmingCharacters(in: .whitespacesAndNewlines), expected)
    }

    func testAnEndpointWhoseKeyIsUnsetIsRefusedByName() throws {
        let harness = try ChatHarness()
        try writeConfig(harness, "endpoints:\n  cloud:\n    base_url: http://127.0.0.1:9/v1\n    model: m\n"
                        + "    api_key_env: TW_ABSENT_KEY_FOR_TEST\n")
        let run = harness.runBinary(["chat", "--plain", "--model", "cloud"], stdin: "hi\n")
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("TW_ABSENT_KEY_FOR_TEST"), run.output)
    }
}
