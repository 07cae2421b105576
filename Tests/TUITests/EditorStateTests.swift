// The input editor model: grapheme-wise editing, word and line moves, history, and one-step pastes.
import TUI
import XCTest

final class EditorStateTests: XCTestCase {
    func testTypingInsertsAtTheCursor() {
        var e = EditorState(text: "helo")
        e.moveLeft()
        e.insert("l")
        XCTAssertEqual(e.text, "hello")
        XCTAssertEqual(e.cursor, 4)
    }

    func testBackspaceRemovesAWholeGrapheme() {
        var e = EditorState(text: "ok 👩‍💻")
        e.deleteBackward()
        XCTAssertEqual(e.text, "ok ")
    }

    func testCombiningMarkTypedAfterItsBaseJoinsIt() {
        var e = EditorState(text: "cafe")
        e.insert("\u{301}")
        XCTAssertEqual(e.characters.count, 4)
        XCTAssertEqual(e.text, "caf\u{E9}")
        XCTAssertEqual(e.cursor, 4)
    }

    func testDeleteForwardAndAtTheEnds() {
        var e = EditorState(text: "ab")
        e.deleteForward()
        XCTAssertEqual(e.text, "ab")
        e.moveLineStart()
        e.deleteForward()
        XCTAssertEqual(e.text, "b")
        e.moveLineStart()
        e.deleteBackward()
        XCTAssertEqual(e.text, "b")
    }

    func testWordMovesSkipPunctuationAndSpaces() {
        var e = EditorState(text: "let total = sum(xs)")
        e.moveWordLeft()
        XCTAssertEqual(e.cursor, 16)
        e.moveWordLeft()
        XCTAssertEqual(e.cursor, 12)
        e.moveLineStart()
        e.moveWordRight()
        XCTAssertEqual(e.cursor, 3)
    }

    func testDeleteWordBackward() {
        var e = EditorState(text: "run the tests  ")
        e.deleteWordBackward()
        XCTAssertEqual(e.text, "run the ")
    }

    func testHomeAndEndWorkOnTheCurrentLine() {
        var e = EditorState(text: "first\nsecond")
        e.moveLineStart()
        XCTAssertEqual(e.cursor, 6)
        e.moveLineEnd()
        XCTAssertEqual(e.cursor, 12)
    }

    func testUpAndDownKeepTheColumnAcrossLines() {
        var e = EditorState(text: "abcdef\nxy\nlonger line")
        XCTAssertTrue(e.moveUp())
        XCTAssertEqual(e.cursorLine, 1)
        XCTAssertEqual(e.cursorColumn, 2, "clamped to the short line")
        XCTAssertTrue(e.moveUp())
        XCTAssertEqual(e.cursorColumn, 2)
        XCTAssertFalse(e.moveUp(), "first line: the caller browses history")
        XCTAssertTrue(e.moveDown())
        XCTAssertTrue(e.moveDown())
        XCTAssertFalse(e.moveDown())
    }

    func testNewlineSplitsTheLine() {
        var e = EditorState(text: "ab")
        e.moveLeft()
        e.insertNewline()
        XCTAssertEqual(e.text, "a\nb")
        XCTAssertEqual(e.lineCount, 2)
    }

    func testSubmitRecordsHistoryAndClears() {
        var e = EditorState(text: "hello")
        XCTAssertEqual(e.submit(), "hello")
        XCTAssertTrue(e.isEmpty)
        XCTAssertEqual(e.history, ["hello"])
    }

    func testBlankTextIsNotSubmitted() {
        var e = EditorState(text: "  \n ")
        XCTAssertNil(e.submit())
        XCTAssertEqual(e.history, [])
    }

    func testHistoryBrowsingRestoresTheDraft() {
        var e = EditorState(history: ["one", "two"])
        e.insert("dra")
        e.historyPrevious()
        XCTAssertEqual(e.text, "two")
        e.historyPrevious()
        XCTAssertEqual(e.text, "one")
        e.historyPrevious()
        XCTAssertEqual(e.text, "one", "stays on the oldest")
        e.historyNext()
        XCTAssertEqual(e.text, "two")
        e.historyNext()
        XCTAssertEqual(e.text, "dra")
        XCTAssertNil(e.historyIndex)
    }

    func testLargePasteIsInsertedInOneStepWithNewlinesNormalised() {
        let line = String(repeating: "x", count: 79)
        let paste = Array(repeating: line, count: 2_000).joined(separator: "\r\n")
        var e = EditorState(text: "<>")
        e.moveLeft()
        e.insert(paste)
        XCTAssertEqual(e.lineCount, 2_000)
        XCTAssertEqual(e.characters.count, 2 + 2_000 * 79 + 1_999)
        XCTAssertEqual(e.cursor, 1 + 2_000 * 79 + 1_999)
        XCTAssertEqual(e.text.suffix(3), "xx>")
    }

    func testTabsBecomeSpacesAndControlCharactersAreDropped() {
        var e = EditorState()
        e.insert("a\tb\u{07}c")
        XCTAssertEqual(e.text, "a    bc")
    }
}
