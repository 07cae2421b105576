// Thousands of corrupted agent profiles (fixed seed): each parses or is refused with an error that starts with
// the file and line; YAML alias bombs and deep nesting are refused quickly.
import Agents
import Foundation
import TestSupport
import XCTest

final class ProfileMutationTests: XCTestCase {
    static let promptDirectories = [TestResources.repositoryRoot.appendingPathComponent("prompts/system")]

    static func seeds() throws -> [String] {
        try ["prompts/agents/coder.yaml", "prompts/agents/default.yaml", "prompts/agents/summarizer.yaml"]
            .map { try TestResources.repositoryText($0) } + [
                """
                name: mutated
                description: "Every key once: quoted, flow and block styles."
                model: /models/x.gguf
                system: |
                  You are terse.
                  Answer in one line.
                tools:
                  - read_file
                  - ask_helper
                  - delegate
                budget: {max_steps: 3, max_tokens: 1_000, max_cost_usd: 0.5, max_seconds: 1.5, max_depth: 0}
                generation: {max_tokens: 64, temperature: 0.7, repeat_penalty: 1.1}
                tool_format: native
                constrained: off
                tool_first: yes
                shell: {allow: ['ls -la', "git log"], timeout_seconds: 2.5}
                result_limit: 4096
                """,
            ]
    }

    static let dictionary = [
        ":", ": ", "- ", "\n", "\n  ", "  ", "[", "]", "{", "}", ",", "'", "\"", "|", ">", "#", "&a ", "*a", "!!str ",
        "!!map", "? ", "---", "...", "%YAML 1.1\n", "\t", "~", "null", "true", "0x1F", "1e400", "-5", "budget:",
        "max_steps: ", "tools: ", "shell:", "allow: ", "name: ", "system: ", "prompt: ", "<<: ", "\\u0000", "\u{FEFF}",
    ]

    /// A refusal names where: it starts with the file name and a line number.
    static func located(_ message: String) -> Bool {
        guard message.hasPrefix("mutated.yaml:") else { return false }
        return message.dropFirst("mutated.yaml:".count).first?.isNumber == true
    }

    func testMutatedProfilesParseOrAreRefusedWithFileAndLine() throws {
        let mutator = TextMutator(seeds: try Self.seeds(), dictionary: Self.dictionary)
        let report = mutator.run(count: 5000, seed: 0xA6E7) { yaml in
            do {
                _ = try AgentProfile.parse(yaml: yaml, file: "mutated.yaml", defaultName: "mutated",
                                           promptDirectories: Self.promptDirectories)
                return .accepted
            } catch {
                return .refused(message: "\(error)", located: Self.located("\(error)"))
            }
        }
        XCTAssertTrue(report.unlocated.isEmpty, "refusals without file and line: \(report.unlocated)")
        XCTAssertGreaterThan(report.refused, 1500)
        XCTAssertGreaterThan(report.accepted, 300)
        XCTAssertLessThan(report.slowest, HangLimit.seconds(1), "slowest input: \(report.slowestInput)")
    }

    func testAliasBombIsRefusedQuickly() {
        // Expanded, the last element would be a list of 8^12 (68 billion) strings; it must never be walked.
        var items = ["&a0 [" + Array(repeating: "read_file", count: 8).joined(separator: ", ") + "]"]
        for level in 1...12 {
            items.append("&a\(level) [" + Array(repeating: "*a\(level - 1)", count: 8).joined(separator: ", ") + "]")
        }
        let yaml = "system: hi\ntools: [" + items.joined(separator: ", ") + "]\nshell: {allow: *a12}\n"
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertThrowsError(try AgentProfile.parse(yaml: yaml, file: "mutated.yaml", defaultName: "mutated",
                                                    promptDirectories: [])) { error in
            XCTAssertTrue(Self.located("\(error)"), "\(error)")
        }
        XCTAssertLessThan(clock.now - start, HangLimit.seconds(2))
    }

    func testDeeplyNestedFlowCollectionsAreRefusedWithALine() {
        let yaml = "system: hi\ntools: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        XCTAssertThrowsError(try AgentProfile.parse(yaml: yaml, file: "mutated.yaml", defaultName: "mutated",
                                                    promptDirectories: [])) { error in
            XCTAssertTrue(Self.located("\(error)"), "\(error)")
        }
    }
}
