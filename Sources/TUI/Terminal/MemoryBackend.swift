// An in-memory terminal with scripted input (bubbletea's WithInput, ratatui's TestBackend): the program loop
// runs against it in tests, and its screen is asserted as text.

/// A terminal held in memory.
public final class MemoryBackend: TerminalBackend {
    public private(set) var size: Size
    public let colorCapability: ColorCapability
    /// What the terminal shows now.
    public private(set) var screen: ScreenBuffer
    /// Where the cursor is (nil: hidden).
    public private(set) var cursor: Point?
    /// Input still to be delivered, in order.
    public private(set) var pendingInput: [InputEvent]
    /// Number of `draw` calls and cells written, to check that unchanged frames cost nothing.
    public private(set) var drawCount = 0
    public private(set) var cellsDrawn = 0
    /// The changes of the last `draw`, and the number of cells of every draw in order.
    public private(set) var lastChanges: [CellChange] = []
    public private(set) var changeCounts: [Int] = []
    public private(set) var isRestored = false

    public init(size: Size, colorCapability: ColorCapability = .ansi256, input: [InputEvent] = []) {
        self.size = size
        self.colorCapability = colorCapability
        self.screen = ScreenBuffer(size: size)
        self.pendingInput = input
    }

    /// Appends scripted input.
    public func enqueue(_ events: [InputEvent]) { pendingInput += events }

    public func draw(_ changes: [CellChange], cursor: Point?) {
        drawCount += 1
        cellsDrawn += changes.count
        lastChanges = changes
        changeCounts.append(changes.count)
        for c in changes { screen.set(c.cell, x: c.x, y: c.y) }
        self.cursor = cursor
    }

    /// Delivers the next scripted event on a waiting read; a zero-timeout poll finds nothing, so a program renders
    /// between scripted events (one frame per event). A `.resize` also resizes (and clears) the screen, like a
    /// real terminal. When the script is exhausted input is closed, which ends the program loop.
    public func readEvent(timeoutMilliseconds: Int) throws(TUIError) -> InputEvent? {
        guard timeoutMilliseconds > 0 else { return nil }
        guard !pendingInput.isEmpty else { throw .inputClosed }
        let event = pendingInput.removeFirst()
        if case .resize(let s) = event {
            size = s
            screen = ScreenBuffer(size: s)
        }
        return event
    }

    public func restore() { isRestored = true }
}
