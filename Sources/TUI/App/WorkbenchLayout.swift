// Where each pane goes for a terminal size: transcript and editor on the left, calls/cost/latency stacked on the
// right, the status bar at the bottom. Side panes give way on narrow or short terminals. Pure, so update (mouse,
// scrolling) and view agree on the same rectangles.

/// The pane rectangles for a state.
public struct WorkbenchLayout: Hashable, Sendable {
    /// Below this the workbench shows only a "terminal too small" message.
    public static let minimumSize = Size(width: 32, height: 8)
    /// From this width the side column with calls, cost and latency is shown.
    public static let sideColumnMinimumWidth = 72

    public var tooSmall: Bool
    public var transcript: Rect = .zero
    public var editor: Rect = .zero
    public var status: Rect = .zero
    public var callTree: Rect?
    public var cost: Rect?
    public var latency: Rect?

    public init(state: AppState) {
        let size = state.size
        tooSmall = size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
        guard !tooSmall else { return }
        let whole = Rect(size: size)
        let (main, statusRow) = whole.splitBottom(1)
        status = statusRow
        var left = main
        if size.width >= Self.sideColumnMinimumWidth {
            let side = max(28, min(48, size.width * 36 / 100))
            let columns = Layout.horizontal([.fill, .fixed(side)]).split(main)
            left = columns[0]
            layoutSide(columns[1])
        }
        let maxRows = max(1, min(8, left.height / 3))
        let rows = min(EditorPane.textRows(state.editor, outerWidth: left.width), maxRows)
        let parts = Layout.vertical([.fill, .fixed(rows + 2)]).split(left)
        transcript = parts[0]
        editor = parts[1]
    }

    private mutating func layoutSide(_ side: Rect) {
        if side.height >= 20 {
            let p = Layout.vertical([.fill, .fill, .fixed(7)]).split(side)
            (callTree, cost, latency) = (p[0], p[1], p[2])
        } else if side.height >= 12 {
            let p = Layout.vertical([.fill, .fixed(6)]).split(side)
            (callTree, cost) = (p[0], p[1])
        } else {
            callTree = side
        }
    }
}
