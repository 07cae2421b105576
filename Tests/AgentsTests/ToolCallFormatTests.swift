// The JSON tool-call protocol: the prompt it writes, the schema a grammar is built from, and lenient parsing.
import Agents
import Foundation
import XCTest

final class ToolCallFormatTests: XCTestCase {
    private let specs = [ToolSpec(CalculatorTool()), ToolSpec(ReadFileTool())]

    func testSystemPromptListsToolsWithTheirArguments() {
        let prompt = ToolCallFormat.json.systemPrompt(base: "Be brief.", tools: specs)
        XCTAssertEqual(prompt, """
            Be brief.

            You can use these tools:
            - calculator: Evaluate an arithmetic expression with + - * / % ^, parentheses, sqrt abs round floor ceil \
            min max log exp, pi and e. Arguments: {"expression": <string, the expression to evaluate, like 2 * (3 + \
            4)>}
            - read_file: Read a text file in the workspace and return its contents. Arguments: {"path": <string, the \
            file's path in the workspace>}

            Reply with one JSON object and nothing else.
            To use a tool, the object has the keys "tool" (the tool's name) and "arguments".
            To give the final answer, the object has the key "answer".
            """)
    }

    func testFileArgumentsAreNarrowedToTheWorkspace() throws {
        let dir = try TemporaryDirectory()
        try dir.write("facts.txt", "x")
        try dir.write("docs/a.md", "y")
        let spec = ToolSpec(ReadFileTool(), workspace: try dir.workspace())
        XCTAssertEqual(spec.parameters["properties"]?["path"]?["enum"], ["facts.txt", "docs/a.md"])
        XCTAssertTrue(ToolCallFormat.json.systemPrompt(base: "", tools: [spec])
            .contains(#"Arguments: {"path": <string, the file's path in the workspace, one of: facts.txt, docs/a.md>}"#))
        let folders = ToolSpec(ListDirTool(), workspace: try dir.workspace())
        XCTAssertEqual(folders.parameters["properties"]?["path"]?["enum"], [".", "docs"])
    }

    func testLenientRepliesStopWhereTheJSONEnds() {
        XCTAssertEqual(ToolCallFormat.json.stopSequences(constrained: false), ["\"}"])
        XCTAssertEqual(ToolCallFormat.json.stopSequences(constrained: true), [])
        // What the stop leaves of a call and of an answer still reads.
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"tool": "read_file", "arguments": {"path": "a.txt"#),
                       .toolCall(name: "read_file", arguments: JSONObject([("path", "a.txt")])))
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"answer": "Fredville"#), .answer("Fredville"))
    }

    func testReplySchemaHasOneAlternativePerToolAndTheAnswer() {
        let schema = ToolCallFormat.json.replySchema(tools: [ToolSpec(CalculatorTool())])
        XCTAssertEqual(schema?.text, #"{"anyOf": [{"type": "object", "properties": {"tool": {"const": "calculator"}, "#
                       + #""arguments": {"type": "object", "properties": {"expression": {"type": "string", "#
                       + #""description": "The expression to evaluate, like 2 * (3 + 4)", "pattern": "#
                       + JSON.string(CalculatorTool.expressionPattern).text + #"}}, "#
                       + #""required": ["expression"], "#
                       + #""additionalProperties": false}}, "required": ["tool", "arguments"], "#
                       + #""additionalProperties": false}, {"type": "object", "properties": {"answer": {"type": "#
                       + #""string", "minLength": 1}}, "required": ["answer"], "additionalProperties": false}]}"#)
    }

    func testRequiredToolCallLeavesTheAnswerOut() {
        let schema = ToolCallFormat.json.replySchema(tools: [ToolSpec(CalculatorTool())], toolRequired: true)
        XCTAssertEqual(schema?["properties"]?["tool"], ["const": "calculator"])
        XCTAssertNil(schema?["anyOf"])
        XCTAssertEqual(ToolCallFormat.json.responsePrefix(toolRequired: true), #"{"tool": ""#)
        XCTAssertEqual(ToolCallFormat.json.responsePrefix(toolRequired: false), #"{""#)
        XCTAssertEqual(ToolCallFormat.qwen.responsePrefix(toolRequired: true), "")
        XCTAssertEqual(ToolCallFormat.json.replySchema(tools: [ToolSpec(CalculatorTool())], answerRequired: true),
                       .objectSchema([("answer", ["type": "string", "minLength": 1])], required: ["answer"]))
        XCTAssertEqual(ToolCallFormat.json.responsePrefix(toolRequired: false, answerRequired: true), #"{"answer": ""#)
    }

    func testToolResultsBecomeUserMessagesForTheJSONProtocol() {
        let rendered = ToolCallFormat.json.render([AgentMessage(.tool("calculator"), "4")])
        XCTAssertEqual(rendered, [AgentMessage(.user, "Result of calculator:\n4")])
    }

    func testParsesACall() {
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"tool": "calculator", "arguments": {"expression": "2+2"}}"#),
                       .toolCall(name: "calculator", arguments: JSONObject([("expression", "2+2")])))
    }

    func testParsesAnAnswer() {
        XCTAssertEqual(ToolCallFormat.json.parse(#"  {"answer": "Paris"}  "#), .answer("Paris"))
    }

    func testCallInsideProseAndCodeFences() {
        let reply = "Sure!\n```json\n{\"tool\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}\n```"
        XCTAssertEqual(ToolCallFormat.json.parse(reply),
                       .toolCall(name: "read_file", arguments: JSONObject([("path", "a.txt")])))
    }

    func testCallCutOffAtTheTokenLimitIsClosed() {
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"tool": "read_file", "arguments": {"path": "notes.t"#),
                       .toolCall(name: "read_file", arguments: JSONObject([("path", "notes.t")])))
    }

    func testArgumentsBesideTheName() {
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"tool": "calculator", "expression": "1+1"}"#),
                       .toolCall(name: "calculator", arguments: JSONObject([("expression", "1+1")])))
    }

    func testPlainProseIsTheAnswer() {
        XCTAssertEqual(ToolCallFormat.json.parse("The answer is 4."), .answer("The answer is 4."))
    }

    func testBrokenJSONIsMalformed() {
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"tool" "calculator"}"#),
                       .malformed(problem: #"expected ':' after key "tool" at byte 8"#))
    }

    func testObjectWithoutToolOrAnswerIsMalformed() {
        XCTAssertEqual(ToolCallFormat.json.parse(#"{"result": 4}"#),
                       .malformed(problem: "the object has neither 'tool' nor 'answer'"))
    }

    func testQwenToolCall() {
        let reply = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"3*3\"}}\n</tool_call>"
        XCTAssertEqual(ToolCallFormat.qwen.parse(reply),
                       .toolCall(name: "calculator", arguments: JSONObject([("expression", "3*3")])))
        XCTAssertEqual(ToolCallFormat.qwen.parse("It is 9."), .answer("It is 9."))
    }

    func testCommittedInstructionsMatchTheBuiltInWording() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("prompts/system/tools-json.md")
        let text = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(text, ToolCallFormat.defaultJSONInstructions)
    }
}
