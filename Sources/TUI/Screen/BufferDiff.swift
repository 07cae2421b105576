// The cells that changed between two frames, so a backend redraws only those (ratatui's Buffer::diff idea):
// typing one character rewrites a handful of cells, not the screen.

/// One cell to draw at a position.
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}

/// Computes what to redraw between two buffers.
public enum BufferDiff {
    /// Changed cells of `new` relative to `old`, in row-major order.
    ///
    /// Wide graphemes: a continuation cell is never emitted on its own (drawing the wide grapheme to its left
    /// covers it); when a wide grapheme is replaced by narrow ones, the freed right half differs and is emitted,
    /// so no stale half stays on the terminal. If the sizes differ (or `old` is nil) every non-continuation cell
    /// of `new` is emitted: a full redraw.
    public static func changes(from old: ScreenBuffer?, to new: ScreenBuffer) -> [CellChange] {
        let w = new.size.width
        guard let old, old.size == new.size else {
            var all: [CellChange] = []
            all.reserveCapacity(new.cells.count)
            for (i, c) in new.cells.enumerated() where !c.isContinuation {
                all.append(CellChange(x: i % max(w, 1), y: i / max(w, 1), cell: c))
            }
            return all
        }
        var out: [CellChange] = []
        var i = 0
        let n = new.cells.count
        while i < n {
            let c = new.cells[i]
            if c.isContinuation {
                // Covered by the wide grapheme to its left; if that one changed it was emitted already. If only
                // the continuation changed (the old cell was something else) the wide grapheme must be redrawn.
                if old.cells[i] != c, i > 0, i % w != 0, new.cells[i - 1] == old.cells[i - 1] {
                    out.append(CellChange(x: (i - 1) % w, y: (i - 1) / w, cell: new.cells[i - 1]))
                }
                i += 1
                continue
            }
            if c != old.cells[i] {
                out.append(CellChange(x: i % w, y: i / w, cell: c))
            }
            i += 1
        }
        return out
    }
}
