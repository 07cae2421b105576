// How the agent loop's conversation goes out on the wire: native tool calls become `tool_calls` with ids that
// the following tool results answer, tools are listed, and a response prefix becomes an assistant prefill.
import Agents
import XCTest

final class RemoteRequestTests: XCTestCase {
    private let calculator = ToolSpec(name: "calculator", summary: "Exact arithmetic.",
                                      parameters: .objectSchema([("expression", .property("string", "an expression"))],
                                                                required: ["expression"]))

    func testToolCallTextBecomesToolCallsAnsweredByTheToolResult() throws {
        let request = ModelRequest(messages: [
            AgentMessage(.system, "sys"), AgentMessage(.user, "2+2?"),
            AgentMessage(.assistant, "Let me compute.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+2\"}}\n</tool_call>"),
            AgentMessage(.tool("calculator"), "4"),
        ], tools: [calculator])
        let messages = try XCTUnwrap(RemoteBackend.body(for: request, model: "m")["messages"]?.arrayValue)
        XCTAssertEqual(messages.count, 4)
        XCTAssertEqual(messages[2]["content"], "Let me compute.")
        let call = try XCTUnwrap(messages[2]["tool_calls"]?.arrayValue?.first)
        XCTAssertEqual(call["function"]?["name"], "calculator")
        XCTAssertEqual(call["function"]?["arguments"], "{\"expression\": \"2+2\"}")
        XCTAssertEqual(messages[3]["role"], "tool")
        XCTAssertEqual(messages[3]["tool_call_id"], call["id"])
        XCTAssertEqual(messages[3]["content"], "4")
    }

    func testToolsAreSentAsFunctionsAndRequiredToolsAskForACall() {
        var request = ModelRequest(messages: [AgentMessage(.user, "x")], tools: [calculator])
        request.requiresTool = true
        let body = RemoteBackend.body(for: request, model: "m")
        XCTAssertEqual(body["tools"]?.arrayValue?.first?["function"]?["name"], "calculator")
        XCTAssertEqual(body["tools"]?.arrayValue?.first?["function"]?["parameters"], calculator.parameters)
        XCTAssertEqual(body["tool_choice"], "required")
    }

    func testAResponsePrefixIsSentAsAnAssistantPrefill() {
        let request = ModelRequest(messages: [AgentMessage(.user, "x")], responsePrefix: "{\"")
        let last = RemoteBackend.body(for: request, model: "m")["messages"]?.arrayValue?.last
        XCTAssertEqual(last?["role"], "assistant")
        XCTAssertEqual(last?["content"], "{\"")
    }

    func testInlineReferencesNameModelAndURL() throws {
        let endpoint = try RemoteEndpoint.inline("Qwen/Qwen2.5-7B@home@http://gpu-box:8000/v1/")
        XCTAssertEqual(endpoint.model, "Qwen/Qwen2.5-7B@home")
        XCTAssertEqual(endpoint.url("chat/completions"), "http://gpu-box:8000/v1/chat/completions")
        XCTAssertTrue(RemoteEndpoint.isInlineReference("m@https://api.example.com/v1"))
        XCTAssertFalse(RemoteEndpoint.isInlineReference("models/smol.gguf"))
    }

    func testABadInlineURLIsExplained() {
        XCTAssertThrowsError(try RemoteEndpoint.inline("m@http://")) { error in
            XCTAssertEqual("\(error)", "model 'm@http://' is not a valid remote model: 'http://' is not an http:// or "
                           + "https:// URL with a host; write MODEL@http://HOST:PORT/v1 or the name of an endpoint in config.yaml")
        }
    }
}
