// Every chat template of llama.cpp's corpus (models/templates/*.jinja), over several conversation shapes, rendered
// by our Jinja renderer and by Python jinja2 configured as transformers does: the outputs must be byte-identical,
// and where Python raises, we must throw with the same message.
import Foundation
import Inference
import Jinja
import TestSupport
import XCTest

final class TemplateConformanceTests: XCTestCase {
    /// The conversation shapes every template is rendered with.
    struct Shape {
        let name: String
        let messages: [ChatMessage]
        var tools: [JinjaValue]? = nil
        var addGenerationPrompt = true
        var extra: [String: JinjaValue] = [:]
    }

    static let weatherTool = ToolDefinition(
        name: "get_weather", description: "Get the current weather <now> & \"here\"",
        parameters: [
            "type": "object",
            "properties": [
                "location": ["type": "string", "description": "City and country, e.g. Paris, France"],
                "unit": ["type": "string", "enum": ["celsius", "fahrenheit"], "description": "Unit"],
            ],
            "required": ["location"],
        ]).jinjaValue

    static let searchTool = ToolDefinition(
        name: "search", description: "Search the web",
        parameters: ["type": "object", "properties": ["query": ["type": "string"], "limit": ["type": "integer"]],
                     "required": ["query"]]).jinjaValue

    static let shapes: [Shape] = [
        Shape(name: "single user turn", messages: [.user("Hello")]),
        Shape(name: "system and multi-turn", messages: [
            .system("You are a helpful assistant."), .user("Hi there"), .assistant("Hello! How can I help you today?"),
            .user("Tell me a joke."),
        ]),
        Shape(name: "system and multi-turn, no generation prompt", messages: [
            .system("You are a helpful assistant."), .user("Hi there"), .assistant("Hello! How can I help you today?"),
        ], addGenerationPrompt: false),
        Shape(name: "tools offered", messages: [.user("What is the weather in Paris?")],
              tools: [weatherTool, searchTool]),
        Shape(name: "tool call and result", messages: [
            .system("Use the tools when needed."), .user("What is the weather in Paris?"),
            .assistant(toolCalls: [ToolCall(id: "call_1", name: "get_weather",
                                            arguments: ["location": "Paris, France", "unit": "celsius"])]),
            .tool("{\"temperature\": 21, \"condition\": \"sunny\"}", callID: "call_1", name: "get_weather"),
            .assistant("It is 21°C and sunny in Paris."), .user("Thanks!"),
        ], tools: [weatherTool]),
        Shape(name: "parallel tool calls", messages: [
            .user("Weather in Paris and news about it?"),
            .assistant("Let me check.", toolCalls: [
                ToolCall(id: "call_a", name: "get_weather", arguments: ["location": "Paris"]),
                ToolCall(id: "call_b", name: "search", arguments: ["query": "Paris news", "limit": 3]),
            ]),
            .tool("{\"temperature\": 18}", callID: "call_a", name: "get_weather"),
            .tool("[\"headline one\", \"headline two\"]", callID: "call_b", name: "search"),
        ], tools: [weatherTool, searchTool]),
        Shape(name: "unicode and escaping", messages: [
            .system("Réponds en français <strictement> & \"poliment\"."),
            .user("<>&\"' \u{e9}\u{4e2d}😀 back\\slash\ttab\nnew line"),
            .assistant("ok <b>&amp;</b> 'single' \"double\" \u{4e2d}文"), .user("Encore é 😀"),
        ]),
        Shape(name: "content parts", messages: [
            ChatMessage(role: "user", content: .parts([.text("part one"), .text("part two")])),
        ]),
        Shape(name: "string arguments and null content", messages: [
            .user("Weather?"),
            ChatMessage(role: "assistant", content: .null, toolCalls: [
                ToolCall(id: "call_9", name: "get_weather", arguments: "{\"location\": \"Oslo\"}"),
            ]),
            .tool("", callID: "call_9", name: "get_weather"),
        ], tools: [weatherTool]),
        Shape(name: "empty tool list, thinking disabled", messages: [
            .system("  Spaces around.  "), .user("<think>not really</think>Hi"),
            .assistant("<think>\nplan\n</think>\n\nHello"), .user("Again"),
        ], tools: [], extra: ["enable_thinking": false]),
        Shape(name: "reasoning content", messages: [
            .user("2+2?"),
            ChatMessage(role: "assistant", content: .text("4"), reasoningContent: "Adding two and two gives four."),
            .user("And 3+3?"),
        ]),
    ]

    /// A fixed instant for `strftime_now`, so both renderers print the same date.
    static let now = Date(timeIntervalSince1970: 1_732_000_000)

    func testEveryCorpusTemplateRendersByteIdenticallyToJinja2() throws {
        let directory = try TestResources.conformanceModelsDirectory().appendingPathComponent("templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".jinja") }.sorted()
        XCTAssertGreaterThan(files.count, 60, "the corpus should hold all of llama.cpp's templates")

        struct Ours {
            let file: String
            let shape: String
            let outcome: Result<String, TemplateError>
        }
        var oracleCases: [TemplateOracle.Case] = []
        var ours: [Ours] = []
        for file in files {
            let path = directory.appendingPathComponent(file).path
            let source = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
            let template: Result<ChatTemplate, TemplateError>
            do {
                template = .success(try ChatTemplate(source: source, name: file, bosToken: "<s>", eosToken: "</s>"))
            } catch {
                template = .failure(error)
            }
            for shape in Self.shapes {
                let context: [String: JinjaValue]
                var outcome: Result<String, TemplateError>
                switch template {
                case .success(let chat):
                    context = chat.context(messages: shape.messages, tools: shape.tools,
                                           addGenerationPrompt: shape.addGenerationPrompt, extra: shape.extra)
                    do {
                        outcome = .success(try chat.render(context: context, now: Self.now))
                    } catch {
                        outcome = .failure(error)
                    }
                case .failure(let error):
                    context = ["messages": .array(shape.messages.map(\.jinjaValue))]
                    outcome = .failure(error)
                }
                oracleCases.append(TemplateOracle.Case(templatePath: path, context: context))
                ours.append(Ours(file: file, shape: shape.name, outcome: outcome))
            }
        }

        let (version, expected) = try TemplateOracle.render(oracleCases, now: Self.now)
        XCTAssertEqual(expected.count, ours.count)
        var failures: [String] = []
        var failedTemplates = Set<String>()
        var raisedCases = 0
        var otherErrorCases = 0
        for (mine, theirs) in zip(ours, expected) {
            let problem: String?
            switch (mine.outcome, theirs) {
            case (.success(let a), .text(let b)):
                problem = a == b ? nil : firstDifference(ours: a, python: b)
            case (.failure(let error), .error(let type, let message)):
                if error.message != message {
                    problem = "error messages differ: ours \(error.message.debugDescription), Python \(type): "
                        + message.debugDescription
                } else if type == "TemplateError", case .raised = error {
                    problem = nil
                    raisedCases += 1
                } else if type == "TemplateError" {
                    problem = "Python's raise_exception but our \(error)"
                } else {
                    problem = nil
                    otherErrorCases += 1
                }
            case (.success, .error(let type, let message)):
                problem = "Python raised \(type): \(message.debugDescription), we rendered"
            case (.failure(let error), .text):
                problem = "we failed (\(error.description)), Python rendered"
            }
            if let problem {
                failures.append("\(mine.file) [\(mine.shape)]: \(problem)")
                failedTemplates.insert(mine.file)
            }
        }
        let passed = ours.count - failures.count
        print("template conformance (jinja2 \(version)): \(passed)/\(ours.count) cases identical "
            + "(\(raisedCases) raise_exception and \(otherErrorCases) other errors in both), "
            + "\(files.count - failedTemplates.count)/\(files.count) "
            + "templates fully identical over \(Self.shapes.count) conversation shapes")
        for failure in failures { print("  MISMATCH \(failure)") }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) cases differ from jinja2:\n" + failures.joined(separator: "\n"))
    }

    /// Where two renderings part, with some context on each side.
    private func firstDifference(ours: String, python: String) -> String {
        let a = Array(ours.unicodeScalars)
        let b = Array(python.unicodeScalars)
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        func excerpt(_ s: [Unicode.Scalar]) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[max(0, i - 40)..<min(s.count, i + 40)])
            return String(view).debugDescription
        }
        return "first difference at code point \(i): ours \(excerpt(a)), Python \(excerpt(b))"
    }
}
