// Draws the live call tree: nested model and tool calls with status, tokens and time; the selected call's
// details below. Expansion follows the user's toggles first, the runtime's defaults second.

/// One visible row of the flattened tree.
public struct CallTreeRow: Hashable, Sendable {
    public var node: CallNodeView
    public var depth: Int
    /// Tree guides drawn before the row ("│ ├─").
    public var guides: String
    public var isExpanded: Bool
}

/// The call tree pane.
public struct CallTreePane: Sendable {
    public var nodes: [CallNodeView]
    public var expansion: [String: Bool]
    public var selectedID: String?
    public var focused: Bool
    public var frame: Int

    public init(nodes: [CallNodeView], expansion: [String: Bool], selectedID: String?, focused: Bool, frame: Int = 0) {
        self.nodes = nodes
        self.expansion = expansion
        self.selectedID = selectedID
        self.focused = focused
        self.frame = frame
    }

    /// The rows shown for these nodes and expansion overrides, depth first.
    public static func rows(_ nodes: [CallNodeView], expansion: [String: Bool]) -> [CallTreeRow] {
        var out: [CallTreeRow] = []
        func walk(_ list: [CallNodeView], depth: Int, lead: String) {
            for (i, n) in list.enumerated() {
                let last = i == list.count - 1
                let expanded = expansion[n.id] ?? n.expanded
                let guides = depth == 0 ? "" : lead + (last ? "└─" : "├─")
                out.append(CallTreeRow(node: n, depth: depth, guides: guides, isExpanded: expanded))
                if expanded && !n.children.isEmpty {
                    walk(n.children, depth: depth + 1, lead: depth == 0 ? "" : lead + (last ? "  " : "│ "))
                }
            }
        }
        walk(nodes, depth: 0, lead: "")
        return out
    }

    /// Number of nodes in the whole tree (collapsed ones included) matching `predicate`.
    static func count(_ nodes: [CallNodeView], where predicate: (CallNodeView) -> Bool) -> Int {
        nodes.reduce(0) { $0 + (predicate($1) ? 1 : 0) + count($1.children, where: predicate) }
    }

    /// Status glyph and role; running calls spin.
    static func statusGlyph(_ s: CallStatus, frame: Int) -> (String, ThemeRole) {
        switch s {
        case .queued: return ("◌", .dimText)
        case .running: return (TranscriptLayout.spinner[abs(frame) % TranscriptLayout.spinner.count], .accent)
        case .done: return ("✓", .good)
        case .failed: return ("✗", .bad)
        case .cancelled: return ("⊘", .warn)
        }
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let rows = Self.rows(nodes, expansion: expansion)
        let running = Self.count(nodes) { $0.status == .running }
        let info = rows.isEmpty ? "" : running > 0 ? "\(running) running" : "\(Self.count(nodes) { _ in true }) calls"
        let inner = Border(title: "Calls", info: info, focused: focused)
            .render(in: area, into: &buffer, theme: theme)
        guard !inner.isEmpty else { return }
        if rows.isEmpty {
            buffer.write(TextFit.truncate("no calls yet", to: inner.width), at: Point(x: inner.x, y: inner.y),
                         style: theme[.dimText])
            return
        }
        let selected = rows.firstIndex { $0.node.id == selectedID }
        let details = selected.map { detailLines(rows[$0].node) } ?? []
        let (start, listHeight) = Self.listWindow(rows: rows, selectedID: selectedID, innerHeight: inner.height)
        let detailHeight = inner.height - listHeight
        for (i, row) in rows.dropFirst(start).prefix(listHeight).enumerated() {
            let r = inner.row(i)
            renderRow(row, in: r, into: &buffer, theme: theme)
            if row.node.id == selectedID {
                buffer.patchStyle(r, with: focused ? theme[.selection] : Style(attributes: .bold))
            }
        }
        guard detailHeight > 0 else { return }
        let top = inner.y + listHeight
        let rule = "─ details " + String(repeating: "─", count: max(0, inner.width - 10))
        buffer.write(rule, at: Point(x: inner.x, y: top), style: theme[.border], clip: inner)
        for (i, (label, value)) in details.prefix(detailHeight - 1).enumerated() {
            let y = top + 1 + i
            let labelText = TextFit.pad(label, to: min(9, inner.width))
            let used = buffer.write(labelText, at: Point(x: inner.x, y: y), style: theme[.dimText], clip: inner)
            buffer.write(TextFit.truncate(value, to: inner.width - used), at: Point(x: inner.x + used, y: y),
                         style: theme[.text], clip: inner)
        }
    }

    /// First visible row and rows shown, for a pane whose inner height is `innerHeight`: the details of the
    /// selected call take the lower half when there is room, and the list scrolls to keep the selection visible.
    /// Shared with update, so a mouse click lands on the row drawn under it.
    public static func listWindow(rows: [CallTreeRow], selectedID: String?, innerHeight: Int) -> (start: Int, height: Int) {
        let selected = rows.firstIndex { $0.node.id == selectedID }
        let detailCount = selected.map { 4 + rows[$0].node.details.count } ?? 0
        let detailHeight = innerHeight >= 8 && detailCount > 0 ? min(detailCount + 1, innerHeight / 2) : 0
        let listHeight = max(0, innerHeight - detailHeight)
        let start = max(0, min((selected ?? 0) - listHeight + 1, rows.count - listHeight))
        return (start, listHeight)
    }

    private func detailLines(_ n: CallNodeView) -> [(String, String)] {
        [("call", n.title), ("status", n.status.rawValue), ("tokens", Format.tokens(n.tokens)),
         ("time", Format.seconds(n.seconds))] + n.details.map { ($0.label, $0.value) }
    }

    private func renderRow(_ row: CallTreeRow, in r: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        var x = r.x
        x += buffer.write(row.guides, at: Point(x: x, y: r.y), style: theme[.border], clip: r)
        let toggle = row.node.children.isEmpty ? (row.depth == 0 ? "  " : " ") : row.isExpanded ? "▾ " : "▸ "
        x += buffer.write(toggle, at: Point(x: x, y: r.y), style: theme[.dimText], clip: r)
        let (glyph, role) = Self.statusGlyph(row.node.status, frame: frame)
        x += buffer.write(glyph + " ", at: Point(x: x, y: r.y), style: theme[role], clip: r)
        let figures = Format.tokens(row.node.tokens) + " " + Format.seconds(row.node.seconds)
        let figuresWidth = DisplayWidth.of(figures)
        let showFigures = r.right - x >= figuresWidth + 6
        let titleRoom = r.right - x - (showFigures ? figuresWidth + 1 : 0)
        buffer.write(TextFit.truncate(row.node.title, to: titleRoom), at: Point(x: x, y: r.y), style: theme[.text], clip: r)
        if showFigures {
            buffer.write(figures, at: Point(x: r.right - figuresWidth, y: r.y), style: theme[.dimText], clip: r)
        }
    }
}
