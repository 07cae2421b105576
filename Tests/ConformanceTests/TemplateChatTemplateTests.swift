// ChatTemplate: the context it builds (as transformers' apply_chat_template does), OpenAI-shaped JSON read into
// messages, and the default model's own template rendered like Python jinja2 renders it.
import Foundation
import GGUF
import Inference
import Jinja
import TestSupport
import XCTest

final class TemplateChatTemplateTests: XCTestCase {
    private func chat(_ source: String) throws -> ChatTemplate {
        try ChatTemplate(source: source, name: "chat.jinja", bosToken: "<s>", eosToken: "</s>")
    }

    func testContextHoldsTransformersKeys() throws {
        let context = try chat("").context(messages: [.user("Hi")], addGenerationPrompt: false)
        XCTAssertEqual(Set(context.keys), ["messages", "add_generation_prompt", "bos_token", "eos_token"])
        XCTAssertEqual(context["add_generation_prompt"], .bool(false))
        XCTAssertEqual(context["bos_token"], "<s>")
    }

    func testToolsAreDefinedOnlyWhenGiven() throws {
        let template = try chat("{{ tools is defined }}|{{ tools | length if tools is defined }}")
        XCTAssertEqual(try template.render(messages: [.user("Hi")]), "False|")
        let tool = ToolDefinition(name: "f", description: "d", parameters: ["type": "object"]).jinjaValue
        XCTAssertEqual(try template.render(messages: [.user("Hi")], tools: [tool]), "True|1")
    }

    func testExtraVariablesReachTheTemplateAndOverride() throws {
        let template = try chat("{{ enable_thinking }} {{ bos_token }}")
        XCTAssertEqual(try template.render(messages: [], extra: ["enable_thinking": false, "bos_token": "B"]),
                       "False B")
    }

    func testMessagesHaveTheShapeTemplatesIndex() throws {
        let call = ToolCall(id: "c1", name: "get_weather", arguments: ["city": "Paris"])
        let messages: [ChatMessage] = [
            .assistant(toolCalls: [call]), .tool("21", callID: "c1", name: "get_weather"),
        ]
        let template = try chat("{{ messages | tojson }}")
        XCTAssertEqual(try template.render(messages: messages),
                       #"[{"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": "#
                           + #"{"name": "get_weather", "arguments": {"city": "Paris"}}}]}, "#
                           + #"{"role": "tool", "content": "21", "tool_call_id": "c1", "name": "get_weather"}]"#)
    }

    func testContentPartsRenderAsAList() throws {
        let template = try chat("{% for p in messages[0].content %}[{{ p.type }}:{{ p.text }}]{% endfor %}")
        let message = ChatMessage(role: "user", content: .parts([.text("a"), .text("b")]))
        XCTAssertEqual(try template.render(messages: [message]), "[text:a][text:b]")
    }

    func testOpenAIMessageWithStringArgumentsIsParsed() throws {
        let json = #"{"role": "assistant", "content": null, "tool_calls": [{"id": "x", "type": "function", "#
            + #""function": {"name": "f", "arguments": "{\"b\": 1, \"a\": [2]}"}}], "weight": 0}"#
        let message = try ChatMessage(openAI: try JinjaValue(json: json))
        XCTAssertEqual(message.content, .null)
        XCTAssertEqual(message.toolCalls, [ToolCall(id: "x", name: "f", arguments: try JinjaValue(json: #"{"b": 1, "a": [2]}"#))])
        XCTAssertEqual(message.extra.map(\.key), ["weight"])
    }

    func testNullContentReachesTheTemplateAsNone() throws {
        let message = try ChatMessage(openAI: try JinjaValue(json: #"{"role": "assistant", "content": null}"#))
        let template = try chat("{{ messages[0].content is none }} {{ messages[1].content is defined }}")
        XCTAssertEqual(try template.render(messages: [message, .assistant()]), "True False")
    }

    func testOpenAIMessageWithoutRoleIsRejected() {
        XCTAssertThrowsError(try ChatMessage(openAI: ["content": "hi"], index: 3)) { error in
            XCTAssertEqual((error as? InferenceError)?.description,
                           "message 3 role = (missing) is invalid: expected a string such as \"user\" (OpenAI chat format)")
        }
    }

    func testRaiseExceptionSurfacesAsRaised() throws {
        let template = try chat("{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}")
        XCTAssertThrowsError(try template.render(messages: [.system("x")])) { error in
            XCTAssertEqual(error as? TemplateError, .raised("System role not supported"))
        }
    }

    func testDefaultModelTemplateRendersLikeJinja2() throws {
        let file = try GGUFFile(path: try TestResources.requireDefaultModel())
        let source = try XCTUnwrap(try file.optionalString("tokenizer.chat_template"))
        let tokens = try file.stringArray("tokenizer.ggml.tokens")
        let bos = tokens[try XCTUnwrap(try file.optionalInt("tokenizer.ggml.bos_token_id"))]
        let eos = tokens[try XCTUnwrap(try file.optionalInt("tokenizer.ggml.eos_token_id"))]
        let template = try ChatTemplate(source: source, name: "SmolLM2", bosToken: bos, eosToken: eos)
        let messages: [ChatMessage] = [.user("What is 2+2? <é>"), .assistant("4"), .user("Thanks")]
        let context = template.context(messages: messages)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokenworks-smollm2-\(getpid()).jinja")
        try Data(source.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let (_, outcomes) = try TemplateOracle.render([TemplateOracle.Case(templatePath: path.path, context: context)],
                                                     now: Date())
        let ours = try template.render(messages: messages)
        XCTAssertEqual(outcomes, [.text(ours)])
        XCTAssertEqual(ours, "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
            + "<|im_end|>\n<|im_start|>user\nWhat is 2+2? <é><|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n"
            + "<|im_start|>user\nThanks<|im_end|>\n<|im_start|>assistant\n")
    }
}
