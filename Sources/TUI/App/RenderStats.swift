// What drawing has cost so far: frames, cells sent to the terminal and the time spent building, diffing and
// drawing them, so the chat can report how much of the machine the interface takes while a reply streams.

/// Running totals of the program's rendering, kept by `Program` on its UI thread.
///
/// A value, read after the loop ends (or between frames on the UI thread): the figures behind the promise that
/// rendering is incremental and keeps up with generation without slowing it (TOKENWORKS_CPU_REPORT, bench/tui-cpu.py).
public struct RenderStats: Sendable, Equatable {
    /// Frames drawn (a frame where nothing changed on screen is not drawn and not counted).
    public var frames = 0
    /// Frames drawn in full: the first one, and after a resize, a redraw or a theme change.
    public var fullFrames = 0
    /// Cells sent to the terminal, all frames together.
    public var cells = 0
    /// The most cells one incremental (not full) frame sent.
    public var maxIncrementalCells = 0
    /// Wall-clock seconds spent in view + diff + draw, all frames together, and the longest single frame.
    public var seconds = 0.0
    public var maxFrameSeconds = 0.0

    public init() {}

    /// Adds one drawn frame.
    mutating func record(cells: Int, full: Bool, seconds: Double) {
        frames += 1
        if full { fullFrames += 1 } else { maxIncrementalCells = max(maxIncrementalCells, cells) }
        self.cells += cells
        self.seconds += seconds
        maxFrameSeconds = max(maxFrameSeconds, seconds)
    }
}
