// The program loop run against MemoryBackend with scripted input: effects reach the handler, posted events reach
// the screen, only changed cells are redrawn, and the terminal is restored however the loop ends.
import Foundation
import TUI
import XCTest

final class ProgramTests: XCTestCase {
    private var themesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes").path
    }

    private func keys(_ text: String) -> [InputEvent] { text.map { .key(.char($0)) } }

    func testTypedMessageIsSubmittedAndTheLoopEndsOnQuit() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), input: keys("hi") + [.key(.enter), .key(.ctrl("q"))])
        var seen: [Effect] = []
        let program = Program(state: AppState(size: backend.size), backend: backend, effects: { e, _ in seen.append(e) })
        program.run()
        XCTAssertEqual(seen, [.submit("hi")])
        XCTAssertTrue(backend.isRestored)
        XCTAssertTrue(backend.pendingInput.isEmpty)
        XCTAssertTrue(backend.screen.lines[1].hasPrefix("│▶ You"), backend.screen.text)
    }

    func testEventsPostedByTheEffectHandlerReachTheScreen() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), input: keys("ping") + [.key(.enter)])
        let program = Program(state: AppState(size: backend.size), backend: backend, effects: { effect, inbox in
            guard case .submit = effect else { return }
            inbox.post(contentsOf: [
                .transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true))),
                .transcript(.stream("pong")), .transcript(.finishStreaming),
            ])
        })
        program.run()
        XCTAssertTrue(backend.screen.lines.contains { $0.contains("│ pong") }, backend.screen.text)
        XCTAssertEqual(program.state.transcript.map(\.text), ["ping", "pong"])
    }

    func testTypingACharacterRedrawsOnlyAFewCells() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), input: keys("ab"))
        let program = Program(state: AppState(size: backend.size), backend: backend)
        program.run()
        XCTAssertEqual(backend.changeCounts.first, 80 * 24, "the first frame paints every cell")
        XCTAssertLessThan(backend.changeCounts.last ?? .max, 4, "one more letter changes a cell or two")
        XCTAssertTrue(backend.screen == Workbench.view(program.state, size: backend.size, theme: program.theme),
                      "the terminal shows exactly the last view")
    }

    func testResizeRepaintsForTheNewSize() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), input: [.resize(Size(width: 40, height: 12))] + keys("x"))
        let program = Program(state: DemoData.state(size: backend.size), backend: backend)
        program.run()
        XCTAssertEqual(backend.screen.size, Size(width: 40, height: 12))
        XCTAssertTrue(backend.screen == Workbench.view(program.state, size: backend.size, theme: program.theme))
    }

    func testThemeCommandSwitchesTheTheme() {
        let loader = ThemeLoader(directories: [themesDirectory])
        let backend = MemoryBackend(size: Size(width: 80, height: 24), colorCapability: .ansi256,
                                    input: keys("/theme light") + [.key(.enter)])
        let program = Program(state: AppState(size: backend.size), backend: backend, theme: .fallback,
                              themeLoader: loader, environment: [:])
        program.run()
        XCTAssertEqual(program.theme.name, "light")
        XCTAssertEqual(program.state.themeName, "light")
        XCTAssertEqual(program.theme[.text].background, .indexed(255), "#f5f5f0 degraded to the 256 palette")
    }

    func testUnknownThemeBecomesAnErrorNotice() {
        let loader = ThemeLoader(directories: [themesDirectory])
        let backend = MemoryBackend(size: Size(width: 80, height: 24), input: keys("/theme nope") + [.key(.enter)])
        let program = Program(state: AppState(size: backend.size), backend: backend, themeLoader: loader)
        program.run()
        XCTAssertEqual(program.state.notice?.level, .error)
        XCTAssertTrue(program.state.notice?.text.hasPrefix("theme 'nope' not found") == true)
    }

    func testNoColorEnvironmentDropsColoursAtStart() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), colorCapability: .trueColor)
        let program = Program(state: AppState(size: backend.size), backend: backend, theme: .fallback,
                              environment: ["NO_COLOR": "1"])
        program.run()
        XCTAssertEqual(program.theme[.userTurn], Style(attributes: .bold))
        XCTAssertTrue(backend.screen.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
    }

    func testEndOfInputRestoresTheTerminal() {
        let backend = MemoryBackend(size: Size(width: 40, height: 12), input: [])
        Program(state: AppState(size: backend.size), backend: backend).run()
        XCTAssertTrue(backend.isRestored)
        XCTAssertEqual(backend.drawCount, 1)
    }

    func testTicksAdvanceTheSpinnerWhileGenerating() {
        final class Clock: @unchecked Sendable {
            var now = Date(timeIntervalSince1970: 0)
            func next() -> Date {
                now.addTimeInterval(0.5)
                return now
            }
        }
        let clock = Clock()
        var state = AppState(size: Size(width: 80, height: 24))
        state.transcript = [TranscriptEntry(role: .assistant, text: "", streaming: true)]
        let backend = MemoryBackend(size: state.size, input: keys("abc"))
        let program = Program(state: state, backend: backend, clock: clock.next)
        program.run()
        XCTAssertGreaterThan(program.state.frame, 0)
        XCTAssertGreaterThan(program.state.now, Date(timeIntervalSince1970: 0))
    }

    func testRunningOnADedicatedThreadReturnsWhenTheLoopEnds() async {
        let backend = MemoryBackend(size: Size(width: 40, height: 12), input: [.key(.char("x")), .key(.ctrl("q"))])
        let program = Program(state: AppState(size: backend.size), backend: backend)
        await program.runOnDedicatedThread()
        XCTAssertTrue(backend.isRestored)
        XCTAssertEqual(program.state.editor.text, "x")
    }

    func testTheDedicatedThreadCarriesTheUIThreadNameForTheSystem() async {
        final class Seen: @unchecked Sendable { var name = "" }
        let seen = Seen()
        let backend = MemoryBackend(size: Size(width: 40, height: 12), input: keys("x") + [.key(.enter), .key(.ctrl("q"))])
        let program = Program(state: AppState(size: backend.size), backend: backend, effects: { _, _ in
            #if canImport(Darwin)
            var buffer = [CChar](repeating: 0, count: 64)
            _ = pthread_getname_np(pthread_self(), &buffer, buffer.count)
            seen.name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            #else
            seen.name = ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #endif
        })
        await program.runOnDedicatedThread()
        XCTAssertEqual(seen.name, Program.threadName, "what /proc/PID/task/*/comm shows for the UI thread")
        XCTAssertEqual(Program.threadName, "tokenworks.ui")
    }
}
