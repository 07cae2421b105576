// A line of text made of spans, each styled by theme role: what panes lay out before drawing. Roles rather than
// styles keep the layout theme-independent, so `update` can measure it (scrolling) without a theme.

/// A run of text in one role (with optional extra attributes such as bold for emphasis).
public struct Span: Hashable, Sendable {
    public var text: String
    public var role: ThemeRole
    public var attributes: TextAttributes
    public init(_ text: String, _ role: ThemeRole = .text, attributes: TextAttributes = []) {
        self.text = text
        self.role = role
        self.attributes = attributes
    }
}

/// One display line.
public struct StyledLine: Hashable, Sendable {
    public var spans: [Span]
    /// When set, the whole row is first filled with this role's style (code blocks, selection).
    public var fill: ThemeRole?
    public init(_ spans: [Span], fill: ThemeRole? = nil) {
        self.spans = spans
        self.fill = fill
    }

    /// The line's text without styles.
    public var plainText: String { spans.map(\.text).joined() }
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
}

extension ScreenBuffer {
    /// Draws a styled line at the start of `row` (a one-row area), clipped to it.
    public mutating func write(_ line: StyledLine, in row: Rect, theme: Theme) {
        if let fill = line.fill { self.fill(row, style: theme[fill]) }
        var x = row.x
        for span in line.spans where x < row.right {
            var style = theme[span.role]
            if let fill = line.fill, style.background == .default { style.background = theme[fill].background }
            x += write(span.text, at: Point(x: x, y: row.y), style: style.adding(span.attributes), clip: row)
        }
    }
}
