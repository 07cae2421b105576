// Update tables: keys and runtime events in, state changes and effects out — no terminal involved.
import Foundation
import TUI
import XCTest

final class UpdateTests: XCTestCase {
    private var state = AppState(size: Size(width: 100, height: 30))

    @discardableResult
    private func send(_ events: AppEvent...) -> [Effect] {
        events.flatMap { Workbench.update(&state, $0) }
    }

    @discardableResult
    private func type(_ text: String) -> [Effect] {
        text.flatMap { Workbench.update(&state, .key(.char($0))) }
    }

    func testTypingGoesIntoTheEditor() {
        type("hi 中")
        XCTAssertEqual(state.editor.text, "hi 中")
    }

    func testEnterSubmitsEchoesTheTurnAndClearsTheEditor() {
        type("hello")
        XCTAssertEqual(send(.key(.enter)), [.submit("hello")])
        XCTAssertEqual(state.transcript, [TranscriptEntry(role: .user, text: "hello")])
        XCTAssertTrue(state.editor.isEmpty)
    }

    func testEnterOnAnEmptyEditorDoesNothing() {
        XCTAssertEqual(send(.key(.enter)), [])
        XCTAssertEqual(state.transcript, [])
    }

    func testAltEnterAndCtrlJInsertNewlines() {
        type("a")
        send(.key(.alt(.enter)))
        type("b")
        send(.key(.ctrl("j")))
        XCTAssertEqual(state.editor.text, "a\nb\n")
    }

    func testSlashCommandsBecomeEffects() {
        type("/model smollm2")
        XCTAssertEqual(send(.key(.enter)), [.command(.model("smollm2"))])
        type("/theme light")
        XCTAssertEqual(send(.key(.enter)), [.loadTheme("light")])
        type("/quit")
        XCTAssertEqual(send(.key(.enter)), [.quit])
    }

    func testClearEmptiesTheTranscriptAndTellsTheRuntime() {
        send(.transcript(.append(TranscriptEntry(role: .user, text: "x"))))
        type("/clear")
        XCTAssertEqual(send(.key(.enter)), [.command(.clear)])
        XCTAssertEqual(state.transcript, [])
    }

    func testBadCommandShowsItsErrorAsANotice() {
        type("/agent")
        XCTAssertEqual(send(.key(.enter)), [])
        XCTAssertEqual(state.notice, Notice("/agent needs an argument: usage /agent <name>", level: .error))
    }

    func testTabCyclesThroughCompletionsAndShiftTabGoesBack() {
        type("/s")
        send(.key(.tab))
        XCTAssertEqual(state.editor.text, "/system")
        XCTAssertEqual(state.completion?.candidates, ["system", "spec", "save"])
        send(.key(.tab))
        XCTAssertEqual(state.editor.text, "/spec")
        send(.key(.tab), .key(.tab))
        XCTAssertEqual(state.editor.text, "/system", "wraps around")
        send(.key(.backTab))
        XCTAssertEqual(state.editor.text, "/save")
    }

    func testEnterAcceptsTheCompletionWithoutSending() {
        type("/s")
        send(.key(.tab), .key(.tab))
        XCTAssertEqual(send(.key(.enter)), [])
        XCTAssertNil(state.completion)
        XCTAssertEqual(state.editor.text, "/spec")
    }

    func testTypingClosesTheCompletionAndKeepsTheText() {
        type("/s")
        send(.key(.tab))
        type(" ")
        XCTAssertNil(state.completion)
        XCTAssertEqual(state.editor.text, "/system ")
    }

    func testCtrlCCancelsAGenerationInProgress() {
        send(.transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true))))
        XCTAssertEqual(send(.key(.ctrl("c"))), [.cancelGeneration])
    }

    func testCtrlCClearsTheEditorThenQuitsOnlyWhenPressedTwice() {
        type("draft")
        XCTAssertEqual(send(.key(.ctrl("c"))), [])
        XCTAssertTrue(state.editor.isEmpty)
        XCTAssertEqual(send(.key(.ctrl("c"))), [])
        XCTAssertEqual(state.notice?.text, "press Ctrl-C again to quit")
        XCTAssertEqual(send(.key(.ctrl("c"))), [.quit])
    }

    func testAnotherKeyDisarmsTheQuit() {
        send(.key(.ctrl("c")))
        type("x")
        send(.key(.backspace))
        XCTAssertEqual(send(.key(.ctrl("c"))), [])
    }

    func testCtrlQQuitsAtOnce() {
        XCTAssertEqual(send(.key(.ctrl("q"))), [.quit])
    }

    func testF1OpensHelpAndKeysDoNotLeakBehindIt() {
        send(.key(.f(1)))
        XCTAssertTrue(state.showHelp)
        type("abc")
        send(.paste("pasted"))
        XCTAssertTrue(state.editor.isEmpty)
        send(.key(.escape))
        XCTAssertFalse(state.showHelp)
    }

    func testQuestionMarkOpensHelpOnlyOnAnEmptyEditor() {
        type("?")
        XCTAssertTrue(state.showHelp)
        send(.key(.escape))
        type("why?")
        XCTAssertFalse(state.showHelp)
        XCTAssertEqual(state.editor.text, "why?")
    }

    func testUpOnTheFirstLineRecallsHistory() {
        type("first")
        send(.key(.enter))
        send(.key(.up))
        XCTAssertEqual(state.editor.text, "first")
        send(.key(.down))
        XCTAssertEqual(state.editor.text, "")
    }

    func testPasteIsInsertedWhole() {
        send(.paste("line 1\nline 2"))
        XCTAssertEqual(state.editor.text, "line 1\nline 2")
        XCTAssertEqual(state.editor.lineCount, 2)
    }

    func testStreamingAppendsToTheStreamingEntryUntilFinished() {
        send(.transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true, label: "m"))))
        send(.transcript(.stream("Hel")), .transcript(.stream("lo")))
        XCTAssertTrue(state.isGenerating)
        send(.transcript(.finishStreaming))
        XCTAssertEqual(state.transcript, [TranscriptEntry(role: .assistant, text: "Hello", label: "m")])
        XCTAssertFalse(state.isGenerating)
    }

    func testStreamWithoutAnOpenEntryStartsAnAssistantTurn() {
        send(.transcript(.stream("hi")))
        XCTAssertEqual(state.transcript, [TranscriptEntry(role: .assistant, text: "hi", streaming: true)])
    }

    func testPageUpStopsFollowingAndEndResumes() {
        for i in 0..<60 { send(.transcript(.append(TranscriptEntry(role: .tool, text: "line \(i)")))) }
        XCTAssertTrue(state.transcriptScroll.isFollowing)
        send(.key(.pageUp))
        XCTAssertFalse(state.transcriptScroll.isFollowing)
        let offset = state.transcriptScroll.offset
        send(.transcript(.append(TranscriptEntry(role: .tool, text: "more"))))
        XCTAssertEqual(state.transcriptScroll.offset, offset, "the view stays put while content arrives")
        send(.key(.tab), .key(.end))
        XCTAssertEqual(state.focus, .transcript)
        XCTAssertTrue(state.transcriptScroll.isFollowing)
    }

    func testMouseWheelOverTheTranscriptScrollsIt() {
        for i in 0..<60 { send(.transcript(.append(TranscriptEntry(role: .tool, text: "line \(i)")))) }
        send(.mouse(MouseEvent(.wheelUp, at: Point(x: 5, y: 5))))
        XCTAssertFalse(state.transcriptScroll.isFollowing)
        for _ in 0..<3 { send(.mouse(MouseEvent(.wheelDown, at: Point(x: 5, y: 5)))) }
        XCTAssertTrue(state.transcriptScroll.isFollowing)
    }

    func testCallTreeSelectionAndExpansion() {
        send(.callTree(DemoData.callTree))
        send(.key(.tab), .key(.tab))
        XCTAssertEqual(state.focus, .callTree)
        XCTAssertEqual(state.selectedCallID, "2.2", "the newest call is selected when the tree arrives")
        send(.key(.char("k")), .key(.char("k")), .key(.char("k")))
        XCTAssertEqual(state.selectedCallID, "1.2")
        send(.key(.left))
        XCTAssertEqual(state.selectedCallID, "1", "collapsing a leaf selects its parent")
        send(.key(.enter))
        XCTAssertEqual(state.expansion["1"], false)
        send(.key(.down))
        XCTAssertEqual(state.selectedCallID, "2", "collapsed children are skipped")
    }

    func testSelectionSurvivesATreeRefresh() {
        send(.callTree(DemoData.callTree))
        state.selectedCallID = "1.1"
        send(.callTree(DemoData.callTree))
        XCTAssertEqual(state.selectedCallID, "1.1")
    }

    func testPrintableKeyInAPaneJumpsBackToTheEditor() {
        send(.key(.tab))
        XCTAssertEqual(state.focus, .transcript)
        type("x")
        XCTAssertEqual(state.focus, .editor)
        XCTAssertEqual(state.editor.text, "x")
    }

    func testNoticesExpireOnTicks() {
        send(.notice(Notice("saved")))
        send(.tick(Date(timeIntervalSince1970: 2)))
        XCTAssertNotNil(state.notice)
        send(.tick(Date(timeIntervalSince1970: 5)))
        XCTAssertNil(state.notice)
    }

    func testResizeUpdatesTheSize() {
        send(.resize(Size(width: 50, height: 20)))
        XCTAssertEqual(state.size, Size(width: 50, height: 20))
    }

    func testClickingACallSelectsTheRowUnderThePointer() {
        send(.callTree(DemoData.callTree))
        let area = WorkbenchLayout(state: state).callTree
        XCTAssertNotNil(area)
        guard let area else { return }
        let drawn = Workbench.view(state, size: state.size, theme: .monochrome).lines[area.y + 2]
        XCTAssertTrue(drawn.contains("write_file"), "the list is scrolled to show the newest call: \(drawn)")
        send(.mouse(MouseEvent(.press(button: 1), at: Point(x: area.x + 3, y: area.y + 2))))
        XCTAssertEqual(state.focus, .callTree)
        XCTAssertEqual(state.selectedCallID, "1.2", "the call drawn under the pointer")
    }
}
