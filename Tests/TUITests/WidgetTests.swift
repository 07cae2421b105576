// Widgets: sparkline scaling, progress bar eighths, table column dropping, scroll offsets and borders.
import TUI
import XCTest

final class WidgetTests: XCTestCase {
    func testSparklineScalesToTheLargestValue() {
        XCTAssertEqual(Sparkline.bars([1, 2, 4, 8], width: 4), "▁▂▄█")
    }

    func testSparklineShowsTheNewestValuesAndZeroAsSpace() {
        XCTAssertEqual(Sparkline.bars([9, 0, 1, 100], width: 3, maximum: 100), " ▁█")
    }

    func testProgressBarUsesEighthsAndShadesTheRest() {
        XCTAssertEqual(ProgressBar.bar(0.5, width: 4), "██░░")
        XCTAssertEqual(ProgressBar.bar(0.3, width: 5), "█▌░░░")
        XCTAssertEqual(ProgressBar.bar(1.7, width: 3), "███")
        XCTAssertEqual(ProgressBar.bar(.nan, width: 2), "░░")
    }

    func testProgressRoleTurnsWarnThenBad() {
        XCTAssertEqual(ProgressBar.role(for: 0.5), .good)
        XCTAssertEqual(ProgressBar.role(for: 0.75), .warn)
        XCTAssertEqual(ProgressBar.role(for: 0.95), .bad)
    }

    func testTableDropsLowPriorityColumnsWhenNarrow() {
        let table = Table(
            columns: [.init("name", width: 6, alignment: .left, priority: 9), .init("a", width: 4, priority: 1),
                      .init("b", width: 4, priority: 5)],
            rows: [["x", "1", "2"]])
        XCTAssertEqual(table.lines(width: 20), ["name          a    b", "x             1    2"], "first column takes the slack")
        XCTAssertEqual(table.lines(width: 12), ["name       b", "x          2"])
    }

    func testScrollViewFollowsTheTailUntilScrolledUp() {
        var s = ScrollView()
        XCTAssertEqual(s.start(contentHeight: 100, viewportHeight: 10), 90)
        s.scroll(by: -5, contentHeight: 100, viewportHeight: 10)
        XCTAssertEqual(s.offset, 85)
        XCTAssertEqual(s.start(contentHeight: 150, viewportHeight: 10), 85, "new content does not move the view")
        s.scroll(by: 100, contentHeight: 150, viewportHeight: 10)
        XCTAssertTrue(s.isFollowing)
    }

    func testScrollViewClampsAtTheTop() {
        var s = ScrollView()
        s.scroll(by: -50, contentHeight: 20, viewportHeight: 10)
        XCTAssertEqual(s.offset, 0)
    }

    func testBorderDrawsTitleAndInfoAndReturnsTheInnerArea() {
        var b = ScreenBuffer(size: Size(width: 20, height: 3))
        let inner = Border(title: "Calls", info: "6").render(in: b.area, into: &b, theme: .monochrome)
        XCTAssertEqual(inner, Rect(x: 1, y: 1, width: 18, height: 1))
        XCTAssertEqual(b.lines, ["╭ Calls ──────── 6 ╮", "│                  │", "╰──────────────────╯"])
    }

    func testFocusedBorderUsesHeavyLines() {
        var b = ScreenBuffer(size: Size(width: 4, height: 2))
        Border(focused: true).render(in: b.area, into: &b, theme: .monochrome)
        XCTAssertEqual(b.lines, ["┏━━┓", "┗━━┛"])
    }

    func testTruncateAndPadByDisplayWidth() {
        XCTAssertEqual(TextFit.truncate("日本語テキスト", to: 7), "日本語…")
        XCTAssertEqual(TextFit.pad("中", to: 4, alignment: .right), "  中")
        XCTAssertEqual(TextFit.sanitize("a\tb\u{1B}c"), "a   bc")
    }

    func testNumberFormats() {
        XCTAssertEqual(Format.tokens(999), "999")
        XCTAssertEqual(Format.tokens(1_234), "1.2k")
        XCTAssertEqual(Format.tokens(45_678), "45k")
        XCTAssertEqual(Format.tokens(2_500_000), "2.5M")
        XCTAssertEqual(Format.dollars(0.00042), "$0.0004")
        XCTAssertEqual(Format.dollars(1.5), "$1.50")
        XCTAssertEqual(Format.seconds(125), "2m05s")
        XCTAssertEqual(Format.milliseconds(0.0853), "85ms")
    }

    func testNumberFormatsNeverTrapOnAbsurdRuntimeValues() {
        XCTAssertEqual(Format.seconds(.infinity), "–")
        XCTAssertEqual(Format.seconds(1e300), "–")
        XCTAssertEqual(Format.percent(1e300), "–")
        XCTAssertEqual(Format.milliseconds(-1), "–")
        XCTAssertEqual(Format.dollars(.nan), "$–")
    }
}
