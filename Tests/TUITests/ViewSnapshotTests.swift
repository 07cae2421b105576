// View snapshots asserted as lines (monochrome theme, so the text is what matters), at the sizes users have:
// 80×24 with every pane, 40×12 with the side column collapsed, and the too-small message.
import TUI
import XCTest

final class ViewSnapshotTests: XCTestCase {
    private func screen(_ state: AppState, theme: Theme = .monochrome) -> ScreenBuffer {
        Workbench.view(state, size: state.size, theme: theme)
    }

    func testFullWorkbenchAt80x24() {
        assertScreen(screen(DemoData.state(size: Size(width: 80, height: 24))), [
            "╭ Transcript ──────────────────────────────────────╮╭ Calls ──────── 2 running ╮",
            "│▶ You                                             ││▾ ✓ chat turn    1.4k 2.8s│",
            "│▌ Write a Swift function that sums an array.      ││├─ ✓ SmolLM2 re… 1.2k 2.1s│",
            "│                                                  ││└─ ✓ write_file     0 0.0s│",
            "│◆ Assistant · SmolLM2-135M                        ││▾ ⠋ planner       530 1.2s│",
            "││ Here is a generic version:                      ││├─ ✓ read_file Pac… 0 0.0s│",
            "││ ─ swift ─────────────────────────────────────── ││└─ ⠋ coder (sub-… 212 0.7s│",
            "││  func sum<T: Numeric>(_ xs: [T]) -> T {         │╰──────────────────────────╯",
            "││      xs.reduce(0, +)                            │╭ Cost ─────────── 2 calls ╮",
            "││  }                                              ││local $0.0006             │",
            "││ It works for Int and Double alike.              ││cloud≈ $0.0084            │",
            "│                                                  ││in 1.4k (768 cached)      │",
            "│⚙ Tool · write_file                               ││out 344                   │",
            "│┆ wrote Sources/Sum.swift (3 lines)               ││spec 212/276 accepted 77% │",
            "│                                                  ││budget █░░░░░ 17% of $0.05│",
            "│                                                  │╰──────────────────────────╯",
            "│                                                  │╭ Latency ───────── last 4 ╮",
            "│                                                  ││TTFT       88ms       ▅▄█▄│",
            "│                                                  ││tok/s     102.0       ▇█▅█│",
            "╰──────────────────────────────────────────────────╯│ITL p50   9.0ms       ▆▆█▅│",
            "┏ Message ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ Enter send ┓│ITL p95    14ms       ▆▅█▄│",
            "┃› Ask anything · / for commands · F1 for keys     ┃│accept      81%       ▆▇▅▇│",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛╰──────────────────────────╯",
            " ◆ SmolLM2-135M │ ctx 1.6k/8.2k █▎░░░░ │ spec lookup    Enter  send  Tab  panes",
        ])
    }

    func testNarrowTerminalCollapsesTheSideColumnAt40x12() {
        assertScreen(screen(DemoData.state(size: Size(width: 40, height: 12))), [
            "╭ Transcript ──────────────────────────╮",
            "││      xs.reduce(0, +)                │",
            "││  }                                  │",
            "││ It works for Int and Double alike.  │",
            "│                                      │",
            "│⚙ Tool · write_file                  ┃│",
            "│┆ wrote Sources/Sum.swift (3 lines)  ┃│",
            "╰──────────────────────────────────────╯",
            "┏ Message ━━━━━━━━━━━━━━━━━ Enter send ┓",
            "┃› Ask anything · / for commands · F1 …┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
            " ◆ SmolLM2-135M │ ctx 1.6k/8.2k █▎░░░░ │",
        ])
    }

    func testTooSmallTerminalShowsWhatIsNeeded() {
        assertScreen(screen(DemoData.state(size: Size(width: 20, height: 5))), [
            "",
            " Terminal too small",
            "  20×5, need 32×8",
            " enlarge the window",
            "",
        ])
    }

    func testEmptyTranscriptShowsTheWelcome() {
        let s = screen(AppState(size: Size(width: 100, height: 30)))
        assertScreenContains(s, "◆ Tokenworks")
        assertScreenContains(s, "Type a message and press Enter")
        assertScreenContains(s, "no calls yet")
    }

    func testHelpOverlayListsKeysFromTheKeyMapAndCommands() {
        var state = DemoData.state(size: Size(width: 80, height: 60))
        state.keyMap.bind(.f(9), to: .quit, in: .global)
        _ = Workbench.update(&state, .key(.f(1)))
        let s = screen(state)
        assertScreenContains(s, "┏ Help ")
        assertScreenContains(s, "Alt-Enter Ctrl-J       new line")
        assertScreenContains(s, "Ctrl-Q F9              quit")
        assertScreenContains(s, "/theme [name]")
        XCTAssertNil(Workbench.frame(state, size: state.size, theme: .monochrome).cursor, "no cursor under the overlay")
    }

    func testCompletionPopupListsTheMatchesAboveTheEditor() {
        var state = DemoData.state(size: Size(width: 80, height: 24))
        for c in "/s" { _ = Workbench.update(&state, .key(.char(c))) }
        _ = Workbench.update(&state, .key(.tab))
        let lines = screen(state).lines
        XCTAssertTrue(lines[15].contains("┏ 1/3 "), lines[15])
        XCTAssertTrue(lines[16].contains("/system  set or show the system prompt"), lines[16])
        XCTAssertTrue(lines[17].contains("/spec    speculative decoding mode"), lines[17])
        XCTAssertTrue(lines[21].contains("› /system"), lines[21])
    }

    func testStreamingTurnShowsASpinnerAndACursor() {
        var state = AppState(size: Size(width: 60, height: 12))
        _ = Workbench.update(&state, .transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true))))
        _ = Workbench.update(&state, .transcript(.stream("Thinking about it")))
        let s = screen(state)
        assertScreenContains(s, "◆ Assistant ⠋")
        assertScreenContains(s, "│ Thinking about it▍")
        assertScreenContains(s, "generating")
    }

    func testScrolledUpTranscriptSaysHowMuchIsBelow() {
        var state = AppState(size: Size(width: 60, height: 12))
        for i in 0..<20 {
            _ = Workbench.update(&state, .transcript(.append(TranscriptEntry(role: .tool, text: "result \(i)"))))
        }
        _ = Workbench.update(&state, .key(.pageUp))
        assertScreenContains(screen(state), "↓ 5 more · End")
    }

    func testWideTextWrapsInsideTheTranscript() {
        var state = AppState(size: Size(width: 40, height: 12))
        _ = Workbench.update(&state, .transcript(.append(TranscriptEntry(role: .user, text: String(repeating: "日本語", count: 8)))))
        let lines = screen(state).lines
        XCTAssertEqual(lines[2], "│▌ 日本語日本語日本語日本語日本語日本  │")
        XCTAssertEqual(lines[3], "│▌ 語日本語日本語                      │")
    }

    func testEditorCursorFollowsTheTypedText() {
        var state = AppState(size: Size(width: 60, height: 16))
        for c in "héllo 中" { _ = Workbench.update(&state, .key(.char(c))) }
        let frame = Workbench.frame(state, size: state.size, theme: .monochrome)
        XCTAssertEqual(frame.buffer.lines[13], "┃› héllo 中                                                ┃")
        XCTAssertEqual(frame.cursor, Point(x: 11, y: 13))
    }

    func testMultiLineEditorGrowsUpToItsCap() {
        var state = AppState(size: Size(width: 60, height: 24))
        _ = Workbench.update(&state, .paste((1...20).map { "line \($0)" }.joined(separator: "\n")))
        let layout = WorkbenchLayout(state: state)
        XCTAssertEqual(layout.editor.height, 9, "7 rows of text (a third of the left column) plus the border")
        assertScreenContains(screen(state), "line 20")
    }

    func testColourThemeStylesTurnsByRole() throws {
        let theme = Theme.fallback
        let s = screen(DemoData.state(size: Size(width: 80, height: 24)), theme: theme)
        XCTAssertEqual(s[1, 1].style, theme[.userTurn].adding(.bold), "the user header")
        XCTAssertEqual(s[1, 4].style, theme[.assistantTurn].adding(.bold), "the assistant header")
        XCTAssertEqual(s[4, 7].style, theme[.codeBlock], "code inside the fence")
        XCTAssertEqual(s[1, 12].style, theme[.toolTurn].adding(.bold), "the tool header")
        XCTAssertNotEqual(theme[.userTurn], theme[.toolTurn])
    }
}
