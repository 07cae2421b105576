// Layout splits: fixed, percent and fill constraints, and graceful behaviour when space runs out.
import TUI
import XCTest

final class LayoutTests: XCTestCase {
    func testVerticalFixedAndFill() {
        let parts = Layout.vertical([.fixed(3), .fill, .fixed(1)]).split(Rect(x: 0, y: 0, width: 80, height: 24))
        XCTAssertEqual(parts, [
            Rect(x: 0, y: 0, width: 80, height: 3),
            Rect(x: 0, y: 3, width: 80, height: 20),
            Rect(x: 0, y: 23, width: 80, height: 1),
        ])
    }

    func testHorizontalPercentAndFill() {
        let parts = Layout.horizontal([.percent(25), .fill]).split(Rect(x: 10, y: 2, width: 40, height: 5))
        XCTAssertEqual(parts, [Rect(x: 10, y: 2, width: 10, height: 5), Rect(x: 20, y: 2, width: 30, height: 5)])
    }

    func testFillsShareByWeightAndTheRemainderGoesToTheFirst() {
        let parts = Layout.horizontal([.fill(1), .fill(2)]).split(Rect(x: 0, y: 0, width: 10, height: 1))
        XCTAssertEqual(parts.map(\.width), [4, 6])
        let even = Layout.horizontal([.fill, .fill, .fill]).split(Rect(x: 0, y: 0, width: 10, height: 1))
        XCTAssertEqual(even.map(\.width), [4, 3, 3])
    }

    func testFixedPartsShrinkInOrderWhenSpaceRunsOut() {
        let parts = Layout.vertical([.fixed(4), .fixed(4), .fill]).split(Rect(x: 0, y: 0, width: 5, height: 6))
        XCTAssertEqual(parts.map(\.height), [4, 2, 0])
    }

    func testSpacingLeavesGapsBetweenParts() {
        let parts = Layout.horizontal([.fill, .fill], spacing: 2).split(Rect(x: 0, y: 0, width: 12, height: 1))
        XCTAssertEqual(parts.map(\.x), [0, 7])
        XCTAssertEqual(parts.map(\.width), [5, 5])
    }
}
