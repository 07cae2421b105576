// The seam between the app and a terminal: ncurses in production, an in-memory screen in tests.

/// A terminal the program can draw on and read from.
public protocol TerminalBackend: AnyObject {
    /// Current size in cells.
    var size: Size { get }
    /// How many colours it shows (after NO_COLOR); themes are degraded to this.
    var colorCapability: ColorCapability { get }
    /// Draws changed cells, then shows the cursor at `cursor` (or hides it when nil).
    func draw(_ changes: [CellChange], cursor: Point?)
    /// The next input event, or nil when `timeoutMilliseconds` pass without one.
    /// Throws `TUIError.inputClosed` when input has ended for good.
    func readEvent(timeoutMilliseconds: Int) throws(TUIError) -> InputEvent?
    /// Gives the terminal back to the shell (idempotent).
    func restore()
}
