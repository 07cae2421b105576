// Draws the conversation: turns laid out by TranscriptLayout, scrolled (following the tail while streaming
// unless the user scrolled up), with a scrollbar and a welcome screen when empty.

/// The transcript pane.
public struct TranscriptPane: Sendable {
    public var entries: [TranscriptEntry]
    public var scroll: ScrollView
    public var focused: Bool
    public var frame: Int

    public init(entries: [TranscriptEntry], scroll: ScrollView, focused: Bool, frame: Int = 0) {
        self.entries = entries
        self.scroll = scroll
        self.focused = focused
        self.frame = frame
    }

    /// Width available to text inside the pane's border (one column kept for the scrollbar).
    public static func contentWidth(for area: Rect) -> Int { max(1, area.width - 3) }

    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let lines = TranscriptLayout.lines(entries, width: Self.contentWidth(for: area), frame: frame)
        let viewport = max(0, area.height - 2)
        let start = scroll.start(contentHeight: lines.count, viewportHeight: viewport)
        let below = max(0, lines.count - start - viewport)
        let info = scroll.isFollowing || below == 0 ? "" : "↓ \(below) more · End"
        let inner = Border(title: "Transcript", info: info, focused: focused).render(in: area, into: &buffer, theme: theme)
        guard !inner.isEmpty else { return }
        if entries.isEmpty {
            renderWelcome(in: inner, into: &buffer, theme: theme)
            return
        }
        let textArea = Rect(x: inner.x, y: inner.y, width: inner.width - 1, height: inner.height)
        for (row, line) in lines.dropFirst(start).prefix(viewport).enumerated() {
            buffer.write(line, in: textArea.row(row), theme: theme)
        }
        let bar = Rect(x: inner.right - 1, y: inner.y, width: 1, height: inner.height)
        scroll.renderScrollbar(in: bar, contentHeight: lines.count, into: &buffer, style: theme[.dimText])
    }

    private func renderWelcome(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let lines: [(String, ThemeRole)] = [
            ("◆ Tokenworks", .title),
            ("local models, every token accounted", .dimText),
            ("", .text),
            ("Type a message and press Enter", .text),
            ("/help lists commands · F1 shows keys", .dimText),
        ]
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (i, (text, role)) in lines.enumerated() where top + i < area.bottom {
            let t = TextFit.truncate(text, to: area.width)
            let x = area.x + max(0, (area.width - DisplayWidth.of(t)) / 2)
            buffer.write(t, at: Point(x: x, y: top + i), style: theme[role], clip: area)
        }
    }
}
