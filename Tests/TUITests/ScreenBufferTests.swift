// ScreenBuffer writes: clipping at the edges and keeping wide graphemes whole.
import TUI
import XCTest

final class ScreenBufferTests: XCTestCase {
    func testWriteClipsAtTheRightEdge() {
        var b = ScreenBuffer(size: Size(width: 5, height: 1))
        let written = b.write("abcdefgh", at: Point(x: 2, y: 0), style: .plain)
        XCTAssertEqual(b.lines, ["  abc"])
        XCTAssertEqual(written, 3)
    }

    func testWriteOutsideTheBufferDoesNothing() {
        var b = ScreenBuffer(size: Size(width: 3, height: 1))
        b.write("x", at: Point(x: 0, y: 4), style: .plain)
        b.write("y", at: Point(x: 9, y: 0), style: .plain)
        XCTAssertEqual(b.lines, [""])
    }

    func testWideGraphemeOccupiesTwoCells() {
        var b = ScreenBuffer(size: Size(width: 4, height: 1))
        b.write("中a", at: Point(x: 0, y: 0), style: .plain)
        XCTAssertEqual(b[0, 0].symbol, "中")
        XCTAssertTrue(b[1, 0].isContinuation)
        XCTAssertEqual(b[2, 0].symbol, "a")
        XCTAssertEqual(b.lines, ["中a"])
    }

    func testWideGraphemeThatDoesNotFitBecomesABlank() {
        var b = ScreenBuffer(size: Size(width: 3, height: 1))
        b.write("ab中", at: Point(x: 0, y: 0), style: .plain)
        XCTAssertEqual(b.lines, ["ab"])
        XCTAssertFalse(b[2, 0].isContinuation)
    }

    func testOverwritingTheRightHalfOfAWideGraphemeBlanksTheLeftHalf() {
        var b = ScreenBuffer(size: Size(width: 4, height: 1))
        b.write("中中", at: Point(x: 0, y: 0), style: .plain)
        b.write("x", at: Point(x: 1, y: 0), style: .plain)
        XCTAssertEqual(b.lines, [" x中"])
    }

    func testOverwritingTheLeftHalfOfAWideGraphemeBlanksTheRightHalf() {
        var b = ScreenBuffer(size: Size(width: 4, height: 1))
        b.write("中", at: Point(x: 0, y: 0), style: .plain)
        b.write("y", at: Point(x: 0, y: 0), style: .plain)
        XCTAssertEqual(b.lines, ["y"])
        XCTAssertFalse(b[1, 0].isContinuation)
    }

    func testWriteRespectsAClipRectangle() {
        var b = ScreenBuffer(size: Size(width: 10, height: 2))
        b.write("hello world", at: Point(x: 1, y: 1), style: .plain, clip: Rect(x: 0, y: 1, width: 6, height: 1))
        XCTAssertEqual(b.lines, ["", " hello"])
    }

    func testCombiningMarkStaysInTheCellOfItsBase() {
        var b = ScreenBuffer(size: Size(width: 4, height: 1))
        b.write("e\u{301}x", at: Point(x: 0, y: 0), style: .plain)
        XCTAssertEqual(b[0, 0].symbol, "e\u{301}")
        XCTAssertEqual(b[1, 0].symbol, "x")
    }

    func testBuffersWithTheSameContentAreEqual() {
        var a = ScreenBuffer(size: Size(width: 3, height: 1))
        var b = ScreenBuffer(size: Size(width: 3, height: 1))
        a.write("ab", at: Point(x: 0, y: 0), style: .plain)
        b.write("ab", at: Point(x: 0, y: 0), style: .plain)
        XCTAssertEqual(a, b)
        b.write("c", at: Point(x: 2, y: 0), style: Style(attributes: .bold))
        XCTAssertNotEqual(a, b)
    }
}
