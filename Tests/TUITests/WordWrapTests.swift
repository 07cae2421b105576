// Word wrap cases: spaces, long words, explicit newlines, and wide and combining characters.
import TUI
import XCTest

final class WordWrapTests: XCTestCase {
    func testBreaksAtSpacesAndDropsTheSpaceAtTheBreak() {
        XCTAssertEqual(WordWrap.wrap("the quick brown fox", width: 10), ["the quick", "brown fox"])
    }

    func testTextThatFitsIsOneLine() {
        XCTAssertEqual(WordWrap.wrap("short", width: 10), ["short"])
    }

    func testWordLongerThanTheWidthIsHardBroken() {
        XCTAssertEqual(WordWrap.wrap("a abcdefghij b", width: 4), ["a", "abcd", "efgh", "ij b"])
    }

    func testExplicitNewlinesArePreservedIncludingEmptyLines() {
        XCTAssertEqual(WordWrap.wrap("one\n\ntwo\r\nthree", width: 10), ["one", "", "two", "three"])
    }

    func testWideCharactersCountTwoColumns() {
        XCTAssertEqual(WordWrap.wrap("日本語のテキスト", width: 6), ["日本語", "のテキ", "スト"])
    }

    func testWideCharacterThatDoesNotFitMovesToTheNextLine() {
        XCTAssertEqual(WordWrap.wrap("ab中", width: 3), ["ab", "中"])
    }

    func testCombiningMarksDoNotTakeColumns() {
        XCTAssertEqual(WordWrap.wrap("cafe\u{301} cafe\u{301}", width: 4), ["cafe\u{301}", "cafe\u{301}"])
    }

    func testEmojiZWJSequenceIsNeverSplit() {
        XCTAssertEqual(WordWrap.wrap("👩‍💻👩‍💻👩‍💻", width: 5), ["👩‍💻👩‍💻", "👩‍💻"])
    }

    func testLeadingIndentationIsKept() {
        XCTAssertEqual(WordWrap.wrap("    indented text", width: 12), ["    indented", "text"])
    }

    func testCharacterModeKeepsSpacesAndBreaksAnywhere() {
        XCTAssertEqual(WordWrap.wrap("let x = 1", width: 4, mode: .characters), ["let ", "x = ", "1"])
    }

    func testLinesReportTheSourceGraphemesTheyCover() {
        let lines = WordWrap.lines("ab cd\nef", width: 3)
        XCTAssertEqual(lines.map(\.text), ["ab", "cd", "ef"])
        XCTAssertEqual(lines.map(\.start), [0, 3, 6])
        XCTAssertEqual(lines.map(\.count), [3, 2, 2])
    }

    func testEmptyTextIsOneEmptyLine() {
        XCTAssertEqual(WordWrap.wrap("", width: 5), [""])
    }
}
