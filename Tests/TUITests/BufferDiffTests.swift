// BufferDiff cases: only changed cells are emitted, and wide graphemes are never left half drawn.
import TUI
import XCTest

final class BufferDiffTests: XCTestCase {
    private func buffer(_ text: String, width: Int = 6) -> ScreenBuffer {
        var b = ScreenBuffer(size: Size(width: width, height: 1))
        b.write(text, at: Point(x: 0, y: 0), style: .plain)
        return b
    }

    private func summary(_ changes: [CellChange]) -> [String] {
        changes.map { "\($0.x),\($0.y)=\($0.cell.isContinuation ? "<cont>" : $0.cell.symbol)" }
    }

    func testIdenticalBuffersHaveNoChanges() {
        XCTAssertEqual(BufferDiff.changes(from: buffer("abc"), to: buffer("abc")), [])
    }

    func testOnlyTheChangedCellIsEmitted() {
        XCTAssertEqual(summary(BufferDiff.changes(from: buffer("abc"), to: buffer("abd"))), ["2,0=d"])
    }

    func testAStyleChangeIsAChange() {
        var new = buffer("abc")
        new.setStyle(Rect(x: 1, y: 0, width: 1, height: 1), to: Style(attributes: .reverse))
        XCTAssertEqual(summary(BufferDiff.changes(from: buffer("abc"), to: new)), ["1,0=b"])
    }

    func testNoPreviousBufferRedrawsEverythingButContinuations() {
        XCTAssertEqual(
            summary(BufferDiff.changes(from: nil, to: buffer("中a", width: 3))), ["0,0=中", "2,0=a"])
    }

    func testASizeChangeRedrawsEverything() {
        XCTAssertEqual(BufferDiff.changes(from: buffer("ab", width: 2), to: buffer("ab", width: 3)).count, 3)
    }

    func testNarrowToWideEmitsOnlyTheWideGrapheme() {
        XCTAssertEqual(summary(BufferDiff.changes(from: buffer("abcd"), to: buffer("a中d"))), ["1,0=中"])
    }

    func testWideToNarrowEmitsBothFreedCells() {
        XCTAssertEqual(summary(BufferDiff.changes(from: buffer("a中d"), to: buffer("axyd"))), ["1,0=x", "2,0=y"])
    }

    func testWideGraphemeReplacedByAnotherWideGraphemeEmitsOneCell() {
        XCTAssertEqual(summary(BufferDiff.changes(from: buffer("中"), to: buffer("日"))), ["0,0=日"])
    }

    func testShiftedWideGraphemeRedrawsTheFreedHalf() {
        // "中" moves one column right: the old left half becomes a space, the new wide grapheme is drawn.
        XCTAssertEqual(summary(BufferDiff.changes(from: buffer("中 "), to: buffer(" 中"))), ["0,0= ", "1,0=中"])
    }
}
