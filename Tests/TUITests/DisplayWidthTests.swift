// DisplayWidth table cases: what terminals show for ASCII, CJK, emoji sequences and combining marks.
import TUI
import XCTest

final class DisplayWidthTests: XCTestCase {
    func testASCIILettersAreOneColumnEach() {
        XCTAssertEqual(DisplayWidth.of("hello, world"), 12)
    }

    func testControlCharactersTakeNoColumns() {
        XCTAssertEqual(DisplayWidth.of(Character("\u{07}")), 0)
        XCTAssertEqual(DisplayWidth.of(Character("\t")), 0)
    }

    func testCJKIdeographsAreTwoColumns() {
        XCTAssertEqual(DisplayWidth.of(Character("中")), 2)
        XCTAssertEqual(DisplayWidth.of("日本語"), 6)
    }

    func testHangulSyllablesAndFullwidthFormsAreTwoColumns() {
        XCTAssertEqual(DisplayWidth.of(Character("한")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("Ａ")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("ｱ")), 1, "halfwidth katakana stays narrow")
    }

    func testCombiningMarksAddNoWidth() {
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)
        XCTAssertEqual(DisplayWidth.of("a\u{301}\u{302}\u{303}b"), 2)
    }

    func testEmojiWithEmojiPresentationIsTwoColumns() {
        XCTAssertEqual(DisplayWidth.of(Character("😀")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("🚀")), 2)
    }

    func testZWJSequenceIsTwoColumns() {
        XCTAssertEqual(DisplayWidth.of(Character("👩‍💻")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("👨‍👩‍👧‍👦")), 2)
    }

    func testVariationSelectorsChoosePresentation() {
        XCTAssertEqual(DisplayWidth.of(Character("\u{2764}")), 1, "heavy heart is text by default")
        XCTAssertEqual(DisplayWidth.of(Character("\u{2764}\u{FE0F}")), 2, "VS16 asks for emoji presentation")
        XCTAssertEqual(DisplayWidth.of(Character("\u{231A}\u{FE0E}")), 1, "VS15 asks for text presentation")
    }

    func testFlagsSkinTonesAndKeycapsAreTwoColumns() {
        XCTAssertEqual(DisplayWidth.of(Character("🇫🇷")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("👍🏽")), 2)
        XCTAssertEqual(DisplayWidth.of(Character("1\u{FE0F}\u{20E3}")), 2)
    }

    func testBoxDrawingAndBlockElementsAreOneColumn() {
        XCTAssertEqual(DisplayWidth.of("─│╭▁█…"), 6)
    }
}
