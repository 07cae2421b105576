// The run loop: terminal events and posted runtime events → update → view → diff → draw, ticking at frame rate
// while something animates and slowly otherwise. Effects go to an injected handler, so the runtime is wired in
// from outside; the program itself handles only UI-local effects (quit, redraw, theme).
import Foundation

/// Performs an effect the UI cannot perform itself (send a message, run a command, cancel). It may post
/// events back through the inbox at any time, from any thread.
public typealias EffectHandler = (Effect, EventInbox) -> Void

/// Runs the workbench on a terminal backend until the user quits or input closes.
public final class Program {
    public let inbox = EventInbox()
    public private(set) var state: AppState
    /// The theme as the terminal shows it (degraded to its colours and NO_COLOR).
    public private(set) var theme: Theme
    private let backend: any TerminalBackend
    private let themeLoader: ThemeLoader?
    private let capability: ColorCapability
    private let effects: EffectHandler
    private let clock: () -> Date
    /// Seconds between ticks while something animates / while idle.
    private let frameInterval: Double
    private let idleInterval: Double
    /// Longest wait for input before looking at the inbox again, milliseconds.
    private let pollMilliseconds: Int
    private var previous: ScreenBuffer?
    private var previousCursor: Point?
    private var quitting = false
    /// What drawing has cost so far (read after `run` returns, or on the UI thread).
    public private(set) var renderStats = RenderStats()

    /// - Parameters:
    ///   - theme: the theme before degradation; it is degraded to the backend's colours and to NO_COLOR here.
    ///   - themeLoader: where `/theme name` looks; nil disables theme switching.
    ///   - environment: read for NO_COLOR.
    ///   - clock: injected so tests control time.
    public init(
        state: AppState, backend: any TerminalBackend, theme: Theme = .fallback, themeLoader: ThemeLoader? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, frameRate: Double = 30,
        clock: @escaping () -> Date = Date.init, effects: @escaping EffectHandler = { _, _ in }
    ) {
        var state = state
        if let themeLoader, state.catalog.themes.isEmpty { state.catalog.themes = themeLoader.availableThemes() }
        state.themeName = theme.name
        self.state = state
        self.backend = backend
        self.themeLoader = themeLoader
        self.capability = backend.colorCapability.honouringNoColor(environment)
        self.theme = theme.degraded(to: capability)
        self.effects = effects
        self.clock = clock
        self.frameInterval = 1 / max(1, frameRate)
        self.idleInterval = 1
        self.pollMilliseconds = 50
    }

    /// Runs until quit (or input closes), restoring the terminal on the way out, thrown errors included.
    public func run() {
        defer { backend.restore() }
        dispatch(.resize(backend.size))
        render()
        var lastFrame = clock()
        var nextTick = lastFrame.addingTimeInterval(tickInterval)
        // Something posted or ticked since the last frame and not drawn yet (frames wait for `frameInterval`).
        var dirty = false
        while !quitting {
            // Wake for the next tick, or for a pending frame once it is due; rounded up, so the loop never wakes
            // a moment early and spins once more for nothing. At least 1 ms: a blocking read, even when overdue.
            var until = nextTick.timeIntervalSince(clock())
            if dirty { until = min(until, lastFrame.addingTimeInterval(frameInterval).timeIntervalSince(clock())) }
            let wait = max(1, min(pollMilliseconds, Int((until * 1000).rounded(.up))))
            // Only a frame where something happened is drawn: an idle loop wakes 20 times a second to look at
            // the inbox, and building a whole view each time would cost more CPU than everything else it does.
            var typed = false
            do {
                if let event = try backend.readEvent(timeoutMilliseconds: wait) {
                    typed = true
                    handle(event)
                    // Drain a burst (key repeat, a fast typist) before drawing once.
                    var burst = 0
                    while burst < 256, !quitting, let more = try backend.readEvent(timeoutMilliseconds: 0) {
                        handle(more)
                        burst += 1
                    }
                }
            } catch {
                quitting = true
            }
            let posted = inbox.drain()
            if !posted.isEmpty { dirty = true }
            for event in posted { dispatch(event) }
            let now = clock()
            if now >= nextTick {
                dirty = true
                dispatch(.tick(now))
                nextTick = now.addingTimeInterval(tickInterval)
            }
            // Keys are drawn at once (typing must feel immediate); what the runtime posts, however fast tokens
            // come, at most once per frame interval, so the token rate never sets the frame rate.
            if !quitting && (typed || (dirty && now >= lastFrame.addingTimeInterval(frameInterval))) {
                render()
                lastFrame = now
                dirty = false
            }
        }
    }

    /// Runs the loop on a thread of its own and returns when it ends. For async callers: the loop blocks on
    /// terminal input, which must not tie up a thread of Swift's small cooperative pool that the runtime's tasks
    /// need. Only `inbox` may be used from other threads meanwhile.
    public func runOnDedicatedThread() async {
        let program = UncheckedProgram(program: self)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                Program.nameCurrentThreadAsUI()
                program.program.run()
                done.resume()
            }
            thread.name = Program.threadName
            thread.start()
        }
    }

    /// The UI thread's name as the system shows it (/proc/PID/task/*/comm, `top -H`, debuggers), so a tool such
    /// as bench/tui-cpu.py can tell the interface's CPU time from the generation threads'.
    public static let threadName = "tokenworks.ui"

    /// Names the calling thread `threadName` for the system: Foundation's `Thread.name` stays inside Foundation
    /// on Linux.
    public static func nameCurrentThreadAsUI() {
        #if canImport(Darwin)
        _ = pthread_setname_np(threadName)
        #else
        // glibc's pthread_setname_np is not visible from Swift; the kernel takes the same name through /proc.
        guard let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") else { return }
        try? comm.write(contentsOf: Data(threadName.utf8))
        try? comm.close()
        #endif
    }

    /// Hands the program to its UI thread. Unchecked because `Program` is not thread-safe; it is sound because the
    /// caller is suspended until the thread finishes and touches nothing but the (locked) inbox meanwhile.
    private struct UncheckedProgram: @unchecked Sendable {
        let program: Program
    }

    private var tickInterval: Double { state.isAnimating ? frameInterval : idleInterval }

    private func handle(_ input: InputEvent) {
        if case .resize = input { previous = nil }  // the terminal cleared itself: repaint everything
        dispatch(AppEvent(input))
    }

    /// Applies one event and performs its effects.
    public func dispatch(_ event: AppEvent) {
        for effect in Workbench.update(&state, event) { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            quitting = true
        case .redraw:
            previous = nil
        case .loadTheme(let name):
            guard let themeLoader else {
                dispatch(.notice(Notice("no theme directory configured", level: .error)))
                return
            }
            do {
                theme = try themeLoader.load(named: name).degraded(to: capability)
                previous = nil
                dispatch(.themeChanged(name))
                effects(effect, inbox)  // applied; the runtime hears of it too, to remember the choice
            } catch {
                dispatch(.notice(Notice(error.description, level: .error)))
            }
        default:
            effects(effect, inbox)
        }
    }

    /// Draws the changes since the last frame (everything after a resize or redraw).
    private func render() {
        let started = ContinuousClock.now
        let full = previous == nil
        let frame = Workbench.frame(state, size: state.size, theme: theme)
        let changes = BufferDiff.changes(from: previous, to: frame.buffer)
        let drawn = !changes.isEmpty || frame.cursor != previousCursor || full
        if drawn { backend.draw(changes, cursor: frame.cursor) }
        previous = frame.buffer
        previousCursor = frame.cursor
        guard drawn else { return }
        let elapsed = ContinuousClock.now - started
        renderStats.record(cells: changes.count, full: full,
                           seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
