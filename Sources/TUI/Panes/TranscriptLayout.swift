// Lays the transcript out as styled lines for a width: a header per turn, a role gutter on every line, fenced
// code blocks set apart. Pure and theme-free, so `update` can measure it to scroll.

/// The transcript as display lines.
public enum TranscriptLayout {
    /// Spinner frames for a streaming turn (advanced by ticks).
    public static let spinner: [String] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    /// Display lines of all entries for an area `width` columns wide. `frame` animates the streaming spinner.
    public static func lines(_ entries: [TranscriptEntry], width: Int, frame: Int = 0) -> [StyledLine] {
        var out: [StyledLine] = []
        for (i, entry) in entries.enumerated() {
            if i > 0 { out.append(StyledLine([])) }
            out += TranscriptLayoutCache.shared.lines(index: i, entry: entry, width: width, frame: frame) {
                lines(for: entry, width: width, frame: frame)
            }
        }
        return out
    }

    /// Number of display lines (what scrolling needs).
    public static func height(_ entries: [TranscriptEntry], width: Int) -> Int {
        lines(entries, width: width).count
    }

    static func role(of r: TranscriptRole) -> ThemeRole {
        switch r {
        case .user: return .userTurn
        case .assistant: return .assistantTurn
        case .tool: return .toolTurn
        case .system: return .systemTurn
        case .error: return .bad
        }
    }

    /// Header label and gutter glyph per role; glyphs differ so turns stay apart without colour.
    static func decoration(of r: TranscriptRole) -> (icon: String, name: String, gutter: String) {
        switch r {
        case .user: return ("▶", "You", "▌ ")
        case .assistant: return ("◆", "Assistant", "│ ")
        case .tool: return ("⚙", "Tool", "┆ ")
        case .system: return ("•", "System", "· ")
        case .error: return ("✗", "Error", "! ")
        }
    }

    static func lines(for entry: TranscriptEntry, width: Int, frame: Int) -> [StyledLine] {
        let role = role(of: entry.role)
        let deco = decoration(of: entry.role)
        var header: [Span] = [Span(deco.icon + " " + deco.name, role, attributes: .bold)]
        if let label = entry.label, !label.isEmpty { header.append(Span(" · " + label, .dimText)) }
        if entry.streaming { header.append(Span(" " + spinner[abs(frame) % spinner.count], .accent)) }
        var out = [StyledLine(header)]
        let gutterWidth = DisplayWidth.of(deco.gutter)
        let bodyWidth = max(1, width - gutterWidth)
        let gutter = Span(deco.gutter, role)
        var inCode = false
        var textBuffer: [String] = []
        func flushText() {
            guard !textBuffer.isEmpty else { return }
            // Render inline markdown per line, then wrap the shown text and cut the styles along the wrap.
            var shown: [Character] = []
            var styles: [InlineStyle] = []
            for (n, line) in textBuffer.enumerated() {
                if n > 0 {
                    shown.append("\n")
                    styles.append(InlineStyle(role))
                }
                for (c, st) in InlineMarkdown.render(line, role: role) {
                    shown.append(c)
                    styles.append(st)
                }
            }
            for wrapped in WordWrap.lines(String(shown), width: bodyWidth) {
                var spans = [gutter]
                var run = ""
                var runStyle: InlineStyle?
                for (k, c) in wrapped.text.enumerated() {
                    let i = wrapped.start + k
                    let st = i < styles.count ? styles[i] : InlineStyle(role)
                    if st != runStyle, let current = runStyle, !run.isEmpty {
                        spans.append(Span(run, current.role, attributes: current.attributes))
                        run = ""
                    }
                    runStyle = st
                    run.append(c)
                }
                if let current = runStyle, !run.isEmpty {
                    spans.append(Span(run, current.role, attributes: current.attributes))
                }
                out.append(StyledLine(spans))
            }
            textBuffer.removeAll()
        }
        let text = TextFit.sanitize(entry.text)
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = raw.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
                flushText()
                if !inCode {
                    let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                    let label = language.isEmpty ? "code" : language
                    let rule = String(repeating: "─", count: max(0, bodyWidth - DisplayWidth.of(label) - 3))
                    out.append(StyledLine([gutter, Span("─ " + label + " " + rule, .dimText)]))
                }
                inCode.toggle()
                continue
            }
            if inCode {
                for piece in WordWrap.wrap(" " + String(raw), width: bodyWidth, mode: .characters) {
                    out.append(StyledLine([gutter, Span(TextFit.pad(piece, to: bodyWidth), .codeBlock)]))
                }
            } else {
                textBuffer.append(String(raw))
            }
        }
        flushText()
        if entry.streaming {
            if var last = out.last, out.count > 1, DisplayWidth.of(last.plainText) < width {
                last.spans.append(Span("▍", .accent))
                out[out.count - 1] = last
            } else {
                out.append(StyledLine([gutter, Span("▍", .accent)]))
            }
        } else if out.count == 1 {
            out.append(StyledLine([gutter]))
        }
        return out
    }
}
