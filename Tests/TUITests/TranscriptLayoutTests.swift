// Transcript layout: role headers and gutters, fenced code blocks, inline markdown and the streaming cursor.
import TUI
import XCTest

final class TranscriptLayoutTests: XCTestCase {
    private func text(_ entries: [TranscriptEntry], width: Int = 30) -> [String] {
        TranscriptLayout.lines(entries, width: width).map(\.plainText)
    }

    func testEachRoleHasItsOwnHeaderAndGutter() {
        let lines = text([
            TranscriptEntry(role: .user, text: "hi"), TranscriptEntry(role: .assistant, text: "hello", label: "m"),
            TranscriptEntry(role: .tool, text: "ok", label: "read_file"), TranscriptEntry(role: .error, text: "boom"),
        ])
        XCTAssertEqual(lines, [
            "▶ You", "▌ hi", "", "◆ Assistant · m", "│ hello", "", "⚙ Tool · read_file", "┆ ok", "", "✗ Error",
            "! boom",
        ])
    }

    func testFencedCodeIsLabelledStyledAndKeepsIndentation() {
        let lines = TranscriptLayout.lines(
            [TranscriptEntry(role: .assistant, text: "see:\n```python\nif x:\n    y()\n```\ndone")], width: 24)
        XCTAssertEqual(lines.map(\.plainText), [
            "◆ Assistant", "│ see:", "│ ─ python ─────────────", "│  if x:                ", "│      y()              ",
            "│ done",
        ])
        XCTAssertEqual(lines[4].spans.last?.role, .codeBlock)
    }

    func testInlineCodeAndBoldLoseTheirMarkersAndGetStyles() {
        let spans = InlineMarkdown.render("run `make test` **now**", role: .assistantTurn)
        XCTAssertEqual(String(spans.map(\.0)), "run make test now")
        XCTAssertEqual(spans[4].1, InlineStyle(.codeBlock))
        XCTAssertEqual(spans[14].1, InlineStyle(.assistantTurn, .bold))
        XCTAssertEqual(spans[0].1, InlineStyle(.assistantTurn))
    }

    func testUnclosedMarkersAreKeptAsTyped() {
        XCTAssertEqual(String(InlineMarkdown.render("a `b and 2**3", role: .text).map(\.0)), "a `b and 2**3")
    }

    func testHeadingsAreBoldAndBulletsBecomeDots() {
        let heading = InlineMarkdown.render("## Plan", role: .text)
        XCTAssertEqual(String(heading.map(\.0)), "Plan")
        XCTAssertTrue(heading.allSatisfy { $0.1.attributes.contains(.bold) })
        XCTAssertEqual(String(InlineMarkdown.render("  - item", role: .text).map(\.0)), "  • item")
    }

    func testStyledSpansSurviveWrapping() {
        let lines = TranscriptLayout.lines([TranscriptEntry(role: .assistant, text: "call `format_all_the_things()` now")],
                                           width: 20)
        XCTAssertEqual(lines.map(\.plainText), ["◆ Assistant", "│ call", "│ format_all_the_thi", "│ ngs() now"])
        XCTAssertEqual(lines[2].spans.map(\.role), [.assistantTurn, .codeBlock])
        XCTAssertEqual(lines[3].spans.map(\.role), [.assistantTurn, .codeBlock, .assistantTurn])
    }

    func testStreamingEntryEndsWithACursor() {
        let lines = text([TranscriptEntry(role: .assistant, text: "partial", streaming: true)])
        XCTAssertEqual(lines, ["◆ Assistant ⠋", "│ partial▍"])
    }

    func testEmptyEntryStillShowsItsGutterLine() {
        XCTAssertEqual(text([TranscriptEntry(role: .system, text: "")]), ["• System", "· "])
    }
}
