// One screen cell: the grapheme drawn there and its style. A wide grapheme fills its cell and marks the next
// one as a continuation, so the buffer always has exactly width × height cells.

/// A cell of the screen buffer.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn in the cell ("" for the right half of a wide grapheme).
    public var symbol: String
    public var style: Style
    /// True for the right half of a 2-wide grapheme: nothing is drawn there, the grapheme to the left covers it.
    public var isContinuation: Bool

    public init(_ symbol: String = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = false
    }

    /// The right half of a wide grapheme drawn with `style`.
    public static func continuation(style: Style) -> Cell {
        var c = Cell("", style: style)
        c.isContinuation = true
        return c
    }

    /// An empty cell with `style` (its background shows).
    public static func blank(_ style: Style = .plain) -> Cell { Cell(" ", style: style) }

    /// Columns the symbol covers (0 for a continuation).
    public var width: Int {
        if isContinuation { return 0 }
        guard let c = symbol.first else { return 1 }
        return max(1, DisplayWidth.of(c))
    }
}
