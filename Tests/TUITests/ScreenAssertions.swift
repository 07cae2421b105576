// Screen assertions for TUI tests: compare a buffer's lines with an expected snapshot and print both screens
// on failure, so a layout regression is readable in the test log.
import TUI
import XCTest

/// Asserts that `buffer` shows exactly `expected` (lines with trailing spaces trimmed).
func assertScreen(
    _ buffer: ScreenBuffer, _ expected: [String], file: StaticString = #filePath, line: UInt = #line
) {
    let actual = buffer.lines
    guard actual != expected else { return }
    let firstDiff = Array(zip(actual, expected)).firstIndex { $0.0 != $0.1 } ?? min(actual.count, expected.count)
    func framed(_ lines: [String]) -> String { lines.map { "|" + $0 }.joined(separator: "\n") }
    XCTFail(
        "screen differs from line \(firstDiff):\n--- actual\n\(framed(actual))\n--- expected\n\(framed(expected))",
        file: file, line: line)
}

/// Asserts that some line of `buffer` contains `text`.
func assertScreenContains(
    _ buffer: ScreenBuffer, _ text: String, file: StaticString = #filePath, line: UInt = #line
) {
    guard !buffer.lines.contains(where: { $0.contains(text) }) else { return }
    XCTFail("screen does not contain \"\(text)\":\n" + buffer.lines.map { "|" + $0 }.joined(separator: "\n"),
            file: file, line: line)
}
