// Thousands of corrupted model replies (fixed seed) through both tool-call formats and the strict JSON reader:
// every reply is read as an answer, a call or a malformed call whose problem says what and, for JSON, where.
import Agents
import Foundation
import TestSupport
import XCTest

final class ToolCallMutationTests: XCTestCase {
    static let seeds = [
        #"{"tool": "read_file", "arguments": {"path": "src/main.swift"}}"#,
        #"{"tool": "calculator", "arguments": {"expression": "2 * (3 + 4)", "precise": true, "n": -1.5e3}}"#,
        #"{"answer": "The capital is Fredville.\nIt has \"quotes\", \\ and \u00e9."}"#,
        "Sure! Here is the call:\n```json\n{\"name\": \"list_dir\", \"args\": {\"path\": \".\"}}\n```\nDone.",
        #"{"tool": "edit_file", "arguments": "{\"path\": \"a.txt\", \"old\": \"x\", \"new\": [1, {\"y\": null}]}"}"#,
        "<tool_call>\n{\"name\": \"search_text\", \"arguments\": {\"pattern\": \"TODO\", \"literal\": false}}\n</tool_call>",
        "I think the answer is 42, no JSON here.",
        #"{"tool": "run_shell", "command": "ls -la", "extra": [[], {}, "", 0]}"#,
    ]

    static let dictionary = [
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "\\u00", "null", "true", "false", "-", "1e999",
        "0.", "\"tool\"", "\"answer\"", "\"arguments\"", "<tool_call>", "</tool_call>", "```", "\n", " ", "\u{0}",
        "é", "\u{1F600}", "\"name\": ", "[[[[[[[[", "{\"a\":{\"a\":{\"a\":",
    ]

    /// A malformed call says what is wrong; when the JSON itself is broken it says at which byte.
    static func problemIsClear(_ problem: String) -> Bool {
        guard !problem.isEmpty else { return false }
        let semantic = ["the reply is empty", "'arguments' must be an object", "the object has neither",
                        "<tool_call> holds no JSON object", "expected a JSON object"]
        return problem.range(of: #"at byte \d+$"#, options: .regularExpression) != nil
            || semantic.contains { problem.hasPrefix($0) }
    }

    func testMutatedRepliesAreReadOrReportedWithAClearProblem() {
        let mutator = TextMutator(seeds: Self.seeds, dictionary: Self.dictionary)
        var calls = 0, answers = 0
        let report = mutator.run(count: 6000, seed: 0x7001) { reply in
            var outcome = MutationOutcome.accepted
            for format in [ToolCallFormat.json, .qwen] {
                switch format.parse(reply) {
                case .toolCall, .toolCalls: calls += 1
                case .answer: answers += 1
                case .malformed(let problem):
                    outcome = .refused(message: problem, located: Self.problemIsClear(problem))
                }
            }
            return outcome
        }
        XCTAssertTrue(report.unlocated.isEmpty, "unclear problems: \(report.unlocated)")
        XCTAssertGreaterThan(calls, 1000)
        XCTAssertGreaterThan(answers, 1000)
        XCTAssertGreaterThan(report.refused, 1000)
        XCTAssertLessThan(report.slowest, HangLimit.milliseconds(500), "slowest input: \(report.slowestInput)")
    }

    func testMutatedJSONParsesOrNamesTheByte() {
        let mutator = TextMutator(seeds: Self.seeds.filter { $0.hasPrefix("{") }, dictionary: Self.dictionary)
        let report = mutator.run(count: 6000, seed: 0x15_0A) { text in
            do {
                let value = try JSON(parsing: text)
                // What was read prints as JSON that reads back to the same value.
                guard (try? JSON(parsing: value.text)) == value else {
                    return .refused(message: "round trip changed \(value.text)", located: false)
                }
                return .accepted
            } catch let error as JSONParseError {
                let inside = error.offset >= 0 && error.offset <= text.utf8.count
                return .refused(message: error.description, located: inside && error.description.hasSuffix("at byte \(error.offset)"))
            } catch {
                return .refused(message: "not a JSONParseError: \(error)", located: false)
            }
        }
        XCTAssertTrue(report.unlocated.isEmpty, "\(report.unlocated)")
        XCTAssertGreaterThan(report.accepted, 300)
        XCTAssertGreaterThan(report.refused, 3000)
        XCTAssertLessThan(report.slowest, HangLimit.milliseconds(500), "slowest input: \(report.slowestInput)")
    }

    func testDeepNestingIsRefusedAtTheByteWhereItGetsTooDeep() {
        let text = String(repeating: "[", count: 100_000)
        XCTAssertThrowsError(try JSON(parsing: text)) { error in
            XCTAssertEqual("\(error)", "nesting deeper than 64 levels at byte 64")
        }
        guard case .malformed(let problem) = ToolCallFormat.json.parse("{\"tool\": " + text) else {
            return XCTFail("a 100,000-deep reply must be malformed")
        }
        XCTAssertTrue(Self.problemIsClear(problem), problem)
    }
}
