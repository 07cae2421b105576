// Thousands of corrupted theme files (fixed seed): each loads or is refused with an error that starts with the
// file and line; alias bombs and deep nesting are refused quickly.
import Foundation
import TestSupport
import TUI
import XCTest

final class ThemeMutationTests: XCTestCase {
    static let dictionary = [
        ":", ": ", "- ", "\n", "\n  ", "  ", "[", "]", "{", "}", ",", "'", "\"", "#", "\"#", "#fff", "#1a1b26",
        "&a ", "*a", "!!str ", "? ", "---", "\t", "~", "null", "true", "off", "256", "-1", "bright_", "fg: ", "bg: ",
        "bold: ", "roles:", "palette:", "name: ", "user_turn: ", "<<: ", "\u{FEFF}",
    ]

    static func located(_ message: String) -> Bool {
        guard message.hasPrefix("mutated.yaml:") else { return false }
        return message.dropFirst("mutated.yaml:".count).first?.isNumber == true
    }

    func testMutatedThemesLoadOrAreRefusedWithFileAndLine() throws {
        let seeds = try ["dark", "light", "high-contrast", "mono", "sixteen"].map {
            try TestResources.repositoryText("themes/\($0).yaml")
        }
        let mutator = TextMutator(seeds: seeds, dictionary: Self.dictionary)
        let report = mutator.run(count: 5000, seed: 0x7E3E) { yaml in
            do {
                _ = try ThemeLoader.parse(yaml, file: "mutated.yaml")
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
        var palette = "palette:\n  a0: &a0 [red, red, red, red, red, red, red, red]\n"
        for level in 1...12 {
            palette += "  a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 8).joined(separator: ", ") + "]\n"
        }
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertThrowsError(try ThemeLoader.parse(palette + "roles:\n  text: *a12\n", file: "mutated.yaml")) { error in
            XCTAssertTrue(Self.located("\(error)"), "\(error)")
        }
        XCTAssertLessThan(clock.now - start, HangLimit.seconds(2))
    }

    func testDeeplyNestedFlowCollectionsAreRefusedWithALine() {
        let yaml = "roles:\n  text: " + String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        XCTAssertThrowsError(try ThemeLoader.parse(yaml, file: "mutated.yaml")) { error in
            XCTAssertTrue(Self.located("\(error)"), "\(error)")
        }
    }
}
