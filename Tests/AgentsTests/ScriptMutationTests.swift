// Thousands of corrupted agent scripts (fixed seed, seeded from examples/): each loads or is refused with an
// error that starts with the file, line and column; YAML alias bombs and deep nesting are refused quickly.
import Agents
import Foundation
import TestSupport
import XCTest

final class ScriptMutationTests: XCTestCase {
    static let dictionary = [
        ":", ": ", "- ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ",", "'", "\"", "|", ">", "#", "&a ", "*a",
        "{{ ", " }}", "{{ path }}", "{{ x | trim }}", "steps:", "- name: ", "tool: ", "prompt: ", "agent: ",
        "script: ", "map: ", "when: ", "retry: ", "schema: ", "inputs:", "output: ", "budget: {max_tokens: 1}",
        "max_tokens: ", "arguments: ", "template: ", "-1", "1e999", "~", "!!str ", "? ",
    ]

    /// A refusal of the text names where: `mutated.yaml:LINE`.
    /// A refusal is located when it starts with `FILE:LINE:` — the script itself, or a prompt file the script
    /// names (a renamed step makes the template that uses the old name wrong, and the error points there).
    static func located(_ message: String) -> Bool {
        let parts = message.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasSuffix(".yaml") || parts[0].hasSuffix(".md") else { return false }
        return !parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)
    }

    func testMutatedScriptsLoadOrAreRefusedWithFileAndLine() throws {
        let dir = try TemporaryDirectory()
        let examples = TestResources.repositoryRoot.appendingPathComponent("examples")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".yaml") }
            .sorted().map { try String(contentsOf: examples.appendingPathComponent($0), encoding: .utf8) }
        XCTAssertGreaterThanOrEqual(seeds.count, 3)
        let loader = scriptLoader(dir)
        let url = examples.appendingPathComponent("mutated.yaml")
        let mutator = TextMutator(seeds: seeds, dictionary: Self.dictionary)
        let report = mutator.run(count: 4000, seed: 0x5C21) { yaml in
            do {
                _ = try loader.parse(yaml: yaml, file: "mutated.yaml", url: url)
                return .accepted
            } catch {
                let text = "\(error)"
                // A sub-script or prompt file named by the script may be missing: that error names it and where.
                return .refused(message: text, located: Self.located(text))
            }
        }
        XCTAssertTrue(report.unlocated.isEmpty, "refusals without file and line: \(report.unlocated)")
        XCTAssertGreaterThan(report.refused, 1000)
        XCTAssertGreaterThan(report.accepted, 100)
        XCTAssertLessThan(report.slowest, HangLimit.seconds(1), "slowest input: \(report.slowestInput)")
    }

    func testDeeplyNestedScriptIsRefusedWithALine() throws {
        let dir = try TemporaryDirectory()
        let yaml = "steps:\n  - name: x\n    arguments: " + String(repeating: "[", count: 50_000)
            + String(repeating: "]", count: 50_000) + "\n"
        let error = scriptError { try scriptLoader(dir).parse(yaml: yaml, file: "mutated.yaml", url: dir.url) }
        XCTAssertTrue(Self.located("\(error.map { "\($0)" } ?? "")"), "\(String(describing: error))")
    }

    func testDeeplyNestedConfigIsRefused() {
        let yaml = "endpoints:\n  x: " + String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        XCTAssertThrowsError(try AgentsConfig.parse(yaml: yaml, file: "config.yaml")) { error in
            XCTAssertTrue("\(error)".contains("config.yaml"), "\(error)")
        }
    }
}
