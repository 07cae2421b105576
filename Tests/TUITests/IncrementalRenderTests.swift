// Rendering stays incremental while a reply streams: a streamed word changes a handful of cells, a long reply
// costs a small fraction of repainting the screen every frame, and any number of tokens arriving between two
// frames is drawn as one frame (the token rate never sets the frame rate).
import Foundation
import TUI
import XCTest

final class IncrementalRenderTests: XCTestCase {
    static let size = Size(width: 120, height: 40)

    /// A conversation already 40 turns long, the last reply streaming, as the chat shows it while generating.
    private func streamingState() -> AppState {
        var state = AppState(size: Self.size)
        for i in 0..<40 {
            state.transcript.append(TranscriptEntry(role: i % 2 == 0 ? .user : .assistant,
                                                    text: "Turn \(i): " + String(repeating: "words and more words ", count: 6)))
        }
        state.transcript.append(TranscriptEntry(role: .assistant, text: "", streaming: true, label: "model"))
        state.status = StatusInfo(model: "model", contextUsed: 1000, contextSize: 8192, generating: true)
        return state
    }

    /// The cells each frame changes while `words` stream in one at a time, a frame after every word (the
    /// worst case: a slow model, or a frame per token), the context counter moving as the runtime moves it.
    private func cellsPerFrame(words: Int) -> [Int] {
        var state = streamingState()
        let theme = Theme.fallback
        var previous = Workbench.frame(state, size: Self.size, theme: theme).buffer
        var counts: [Int] = []
        for i in 0..<words {
            _ = Workbench.update(&state, .transcript(.stream("word\(i % 7) ")))
            state.status.contextUsed += 1
            let next = Workbench.frame(state, size: Self.size, theme: theme).buffer
            counts.append(BufferDiff.changes(from: previous, to: next).count)
            previous = next
        }
        return counts
    }

    func testAStreamedWordChangesAFewCellsInMostFrames() {
        let counts = cellsPerFrame(words: 300).sorted()
        let median = counts[counts.count / 2]
        print("cells per streamed word: median \(median), at most \(counts.last ?? 0)")
        // The word itself, the context figure in the status bar: well under one row of the screen.
        XCTAssertLessThan(median, Self.size.width / 2, "median cells per streamed word: \(median)")
    }

    func testALongReplyCostsAFractionOfRepaintingEveryFrame() {
        let counts = cellsPerFrame(words: 300)
        let screen = Self.size.width * Self.size.height
        let average = Double(counts.reduce(0, +)) / Double(counts.count)
        print("cells per frame over a 300-word reply: \(average) on average of \(screen)")
        // A word that opens a new line scrolls the transcript pane (every cell of it moves); the rest change a
        // word's worth. Together that is a few percent of a full repaint.
        XCTAssertLessThan(average, Double(screen) / 10, "average cells per frame: \(average) of \(screen)")
        XCTAssertLessThan(counts.max() ?? .max, screen, "no frame repaints the whole screen")
    }

    func testABurstOfStreamedTokensIsDrawnAsOneFrame() {
        let tokens = 5000
        let backend = MemoryBackend(size: Self.size, input: [.key(.char("g")), .key(.enter)])
        let program = Program(state: AppState(size: Self.size), backend: backend, effects: { effect, inbox in
            guard case .submit = effect else { return }
            inbox.post(.transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true))))
            inbox.post(contentsOf: (0..<tokens).map { .transcript(.stream("t\($0) ")) })
        })
        program.run()
        // The first frame, one for the typed letter, one for Enter and everything it brought back.
        XCTAssertEqual(backend.drawCount, 3, "frames drawn: \(backend.changeCounts)")
        XCTAssertEqual(program.renderStats.frames, 3)
        XCTAssertEqual(program.renderStats.fullFrames, 1)
        XCTAssertTrue(backend.screen.lines.joined().contains("t\(tokens - 1)"), backend.screen.text)
        XCTAssertTrue(program.state.transcript.last?.text.hasSuffix("t\(tokens - 1) ") == true)
    }

    func testRenderStatsCountWhatTheBackendWasSent() {
        let backend = MemoryBackend(size: Size(width: 80, height: 24), input: [.key(.char("a")), .key(.char("b")),
                                                                                .resize(Size(width: 60, height: 20))])
        let program = Program(state: AppState(size: backend.size), backend: backend)
        program.run()
        let stats = program.renderStats
        XCTAssertEqual(stats.frames, backend.drawCount)
        XCTAssertEqual(stats.cells, backend.cellsDrawn)
        XCTAssertEqual(stats.fullFrames, 2, "the first frame and the one after the resize")
        XCTAssertEqual(stats.maxIncrementalCells, backend.changeCounts.dropFirst().dropLast().max())
        XCTAssertGreaterThan(stats.seconds, 0)
        XCTAssertLessThanOrEqual(stats.maxFrameSeconds, stats.seconds)
    }
}
