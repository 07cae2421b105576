// The in-memory screen every view renders into: width × height cells, clipped writes, wide-grapheme bookkeeping,
// and `lines` so tests assert on what a user would see.

/// A rectangle of cells. Views draw here; `BufferDiff` compares two buffers; only backends touch the terminal.
public struct ScreenBuffer: Equatable, Sendable {
    public private(set) var size: Size
    /// Row-major cells, `size.width * size.height` of them.
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank()) {
        self.size = size
        self.cells = Array(repeating: fill, count: size.width * size.height)
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(size: size) }

    /// The cell at (x, y); a blank cell outside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank() }
        return cells[y * size.width + x]
    }

    /// Puts one cell at (x, y), keeping wide graphemes whole: overwriting either half of a wide grapheme blanks
    /// its other half, and a wide grapheme that does not fit before the right edge (or `clip`'s edge) is replaced
    /// by a blank instead of being cut in half. Returns the columns advanced (0 outside the buffer).
    @discardableResult
    public mutating func set(_ cell: Cell, x: Int, y: Int, clip: Rect? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        guard y >= bounds.y, y < bounds.bottom, x >= bounds.x, x < bounds.right else { return 0 }
        let w = cell.width
        if w == 2 && x + 1 >= bounds.right {
            place(.blank(cell.style), x: x, y: y)
            return 1
        }
        place(cell, x: x, y: y)
        if w == 2 { place(.continuation(style: cell.style), x: x + 1, y: y) }
        return w
    }

    /// Stores a cell, first repairing any wide grapheme it cuts through.
    private mutating func place(_ cell: Cell, x: Int, y: Int) {
        let i = y * size.width + x
        let old = cells[i]
        if old.isContinuation && x > 0 && !cell.isContinuation {
            cells[i - 1] = .blank(cells[i - 1].style)
        }
        if !old.isContinuation && old.width == 2 && x + 1 < size.width {
            let next = i + 1
            if cells[next].isContinuation { cells[next] = .blank(cells[next].style) }
        }
        cells[i] = cell
    }

    /// Writes `text` from `at`, one grapheme per cell (two for wide ones), stopping at the right edge of the buffer
    /// or of `clip`. Newlines and other control characters are drawn as nothing; zero-width graphemes attach to the
    /// previous cell. Returns the number of columns written.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, at: Point, style: Style, clip: Rect? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        guard at.y >= bounds.y, at.y < bounds.bottom else { return 0 }
        var x = at.x
        for ch in text {
            if x >= bounds.right { break }
            let w = DisplayWidth.of(ch)
            if w == 0 {
                if ch.unicodeScalars.first.map({ $0.value >= 0x20 && $0.value != 0x7F }) == true,
                    x > bounds.x, x - 1 < bounds.right
                {
                    attach(ch, x: x - 1, y: at.y)
                }
                continue
            }
            if x < bounds.x {
                x += w
                continue
            }
            x += set(Cell(String(ch), style: style), x: x, y: at.y, clip: bounds)
        }
        return max(0, x - max(at.x, bounds.x))
    }

    /// Appends a zero-width grapheme (a lone combining mark) to the cell before it.
    private mutating func attach(_ ch: Character, x: Int, y: Int) {
        var tx = x
        if self[tx, y].isContinuation { tx -= 1 }
        guard tx >= 0 else { return }
        let i = y * size.width + tx
        cells[i].symbol.append(ch)
    }

    /// Fills `rect` with blank cells of `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        fill(rect, with: .blank(style))
    }

    /// Fills `rect` with copies of `cell` (a narrow cell).
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom {
            for x in r.x..<r.right { set(cell, x: x, y: y) }
        }
    }

    /// Lays `style` over the cells of `rect` (see `Style.patched`), keeping their symbols: selection highlights.
    public mutating func patchStyle(_ rect: Rect, with style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom {
            for x in r.x..<r.right {
                let i = y * size.width + x
                cells[i].style = cells[i].style.patched(with: style)
            }
        }
    }

    /// Replaces the style of the cells of `rect`, keeping their symbols.
    public mutating func setStyle(_ rect: Rect, to style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom {
            for x in r.x..<r.right { cells[y * size.width + x].style = style }
        }
    }

    /// The rows as text, continuation cells skipped and trailing spaces trimmed: what a user reads.
    public var lines: [String] {
        (0..<size.height).map { y in
            var s = ""
            for x in 0..<size.width {
                let c = cells[y * size.width + x]
                if !c.isContinuation { s += c.symbol }
            }
            while s.last == " " { s.removeLast() }
            return s
        }
    }

    /// All rows joined with newlines (handy in failure messages).
    public var text: String { lines.joined(separator: "\n") }
}
