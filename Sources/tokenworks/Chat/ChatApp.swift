// The full-screen chat: takes over the terminal, wires the TUI program to the chat runtime (effects in order
// through one stream, runtime events back through the inbox), runs the interface on a thread of its own and
// gives the terminal back however the session ends.
import Foundation
import Inference
import Ledger
import TUI

/// One run of the chat TUI on a session.
struct ChatApp {
    var model: ChatModel
    var session: SessionFile
    var resumed: Bool
    var configuration: ChatRuntime.Configuration
    var store: SessionStore

    /// How much CPU the interface used, for TOKENWORKS_CPU_REPORT.
    struct CPUReport: Encodable {
        var ui_thread_cpu_seconds: Double
        var process_cpu_seconds: Double
        var wall_seconds: Double
        /// Frames drawn, of which full repaints; cells sent; seconds in view + diff + draw (see `RenderStats`).
        var frames: Int
        var full_frames: Int
        var cells_drawn: Int
        var max_incremental_cells: Int
        var render_seconds: Double
        var max_frame_seconds: Double
        var screen_cells: Int
    }

    /// Runs until the user quits; returns the session as saved last.
    func run() async throws -> SessionFile {
        let started = Date()
        let cpuAtStart = CPUTime.process()
        let backend = try NcursesBackend()
        let loader = ThemeLoader(directories: ProjectFiles.themeDirectories(standard: ThemeLoader.defaultDirectories()))
        let theme = (try? loader.load(named: session.settings.theme)) ?? (try? loader.load(named: "dark")) ?? .fallback
        var notes: [Notice] = []
        let ledger: LedgerStore?
        do {
            ledger = try LedgerStore()
        } catch {
            ledger = nil
            notes.append(Notice("running without a ledger: \(error)", level: .warning))
        }
        let (prices, pricesProblem) = ProjectFiles.priceSheet()
        if let pricesProblem { notes.append(Notice("costs show as $0: \(pricesProblem)", level: .warning)) }

        let (effects, effectSink) = AsyncStream<Effect>.makeStream()
        var state = AppState(size: backend.size)
        let themes = loader.availableThemes()
        state.catalog.themes = themes
        let program = Program(state: state, backend: backend, theme: theme, themeLoader: loader,
                              effects: { effect, _ in effectSink.yield(effect) })
        let runtime = ChatRuntime(
            inbox: program.inbox, configuration: configuration, model: model, session: session, store: store,
            ledger: ledger, prices: prices, profiles: .standard(),
            workspaceRoot: FileManager.default.currentDirectoryPath)
        await runtime.start(resumed: resumed, themes: themes)
        for note in notes { await runtime.report(note.text, note.level) }

        let consumer = Task {
            for await effect in effects { await runtime.handle(effect) }
        }
        let uiSeconds = await Self.runOnUIThread(program)
        effectSink.finish()
        await consumer.value
        await runtime.finish()
        await runtime.shutdownEngine()

        if let path = ProcessInfo.processInfo.environment["TOKENWORKS_CPU_REPORT"], !path.isEmpty {
            let stats = program.renderStats
            let report = CPUReport(ui_thread_cpu_seconds: uiSeconds, process_cpu_seconds: CPUTime.process() - cpuAtStart,
                                   wall_seconds: Date().timeIntervalSince(started), frames: stats.frames,
                                   full_frames: stats.fullFrames, cells_drawn: stats.cells,
                                   max_incremental_cells: stats.maxIncrementalCells, render_seconds: stats.seconds,
                                   max_frame_seconds: stats.maxFrameSeconds,
                                   screen_cells: program.state.size.width * program.state.size.height)
            if let data = try? JSONEncoder().encode(report) { try? data.write(to: URL(fileURLWithPath: path)) }
        }
        return await runtime.session
    }

    /// Lets the UI thread own the program. Unchecked because `Program` is not thread-safe; sound because only
    /// the UI thread touches it from here on (everyone else uses its locked inbox).
    private struct ProgramBox: @unchecked Sendable {
        let program: Program
    }

    /// Runs the program's loop on a dedicated thread (it blocks on terminal input, which must not hold a
    /// thread of Swift's small cooperative pool) and returns the CPU seconds that thread used.
    private static func runOnUIThread(_ program: Program) async -> Double {
        let box = ProgramBox(program: program)
        return await withCheckedContinuation { (done: CheckedContinuation<Double, Never>) in
            let thread = Thread {
                Program.nameCurrentThreadAsUI()
                let before = CPUTime.currentThread()
                box.program.run()
                done.resume(returning: CPUTime.currentThread() - before)
            }
            thread.name = Program.threadName
            thread.start()
        }
    }
}
