// The bottom line: model, context fill, speculation mode and activity on the left; key hints (or the current
// notice) on the right. Segments drop from the right end of the left side when the terminal is narrow.

/// The status bar.
public struct StatusBar: Sendable {
    public var status: StatusInfo
    public var notice: Notice?
    public var hints: [(key: String, action: String)]
    public var frame: Int

    public init(status: StatusInfo, notice: Notice?, hints: [(key: String, action: String)], frame: Int = 0) {
        self.status = status
        self.notice = notice
        self.hints = hints
        self.frame = frame
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        guard area.height > 0 else { return }
        let row = area.row(0)
        let base = theme[.statusBar]
        buffer.fill(row, style: base)
        var left: [[Span]] = [[Span(" ◆ ", .accent), Span(status.model + " ", .statusBar, attributes: .bold)]]
        if status.contextSize > 0 {
            let f = Double(status.contextUsed) / Double(status.contextSize)
            left.append([Span(" ctx " + Format.tokens(status.contextUsed) + "/" + Format.tokens(status.contextSize) + " ",
                              .statusBar),
                         Span(ProgressBar.bar(f, width: 6), ProgressBar.role(for: f)), Span(" ", .statusBar)])
        }
        left.append([Span(" spec " + status.speculation + " ", .statusBar)])
        if status.generating {
            left.append([Span(" " + TranscriptLayout.spinner[abs(frame) % TranscriptLayout.spinner.count]
                              + " generating ", .accent)])
        }
        if status.batch > 1 { left.append([Span(" batch \(status.batch) ", .accent)]) }
        func width(_ spans: [Span]) -> Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
        func leftWidth() -> Int { left.reduce(0) { $0 + width($1) } + max(0, left.count - 1) }
        var right: [Span] = []
        if let notice {
            let role: ThemeRole = notice.level == .error ? .bad : notice.level == .warning ? .warn : .accent
            while left.count > 1 && leftWidth() + 24 > row.width { left.removeLast() }
            right = [Span(" " + notice.text + " ", role, attributes: .bold)]
        } else {
            // Hints fill what the left side leaves, dropping from the end.
            let room = row.width - leftWidth() - 1
            for h in hints {
                let chip = [Span(" " + h.key + " ", .keyHint), Span(" " + h.action + " ", .statusBar)]
                if width(right) + width(chip) > room { break }
                right += chip
            }
        }
        var x = row.x
        for (i, part) in left.enumerated() {
            if i > 0 { x += buffer.write("│", at: Point(x: x, y: row.y), style: base.adding(.dim), clip: row) }
            for s in part {
                x += buffer.write(s.text, at: Point(x: x, y: row.y), style: style(s, theme: theme, base: base), clip: row)
            }
        }
        var rx = max(x + 1, row.right - width(right))
        for s in right {
            let text = TextFit.truncate(s.text, to: row.right - rx)
            rx += buffer.write(text, at: Point(x: rx, y: row.y), style: style(s, theme: theme, base: base), clip: row)
        }
    }

    /// A span's style on the bar: its role's colours, but the bar's background where the role has none.
    private func style(_ s: Span, theme: Theme, base: Style) -> Style {
        if s.role == .statusBar { return base.adding(s.attributes) }
        if s.role == .keyHint { return theme[.keyHint].adding(s.attributes) }
        var st = theme[s.role].adding(s.attributes)
        st.background = base.background
        st.attributes.formUnion(base.attributes)  // keeps the bar's reverse video in monochrome
        return st
    }
}
