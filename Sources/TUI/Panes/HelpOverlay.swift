// The help overlay (F1 or ?): key bindings read from the live KeyMap, so user overrides show up, and the slash
// commands with their usage.

/// The help overlay.
public struct HelpOverlay: Sendable {
    public var keyMap: KeyMap
    public var scroll: Int

    public init(keyMap: KeyMap, scroll: Int) {
        self.keyMap = keyMap
        self.scroll = scroll
    }

    static let sections: [(String, KeyContext, [Action])] = [
        ("Editor", .editor, [.send, .newline, .complete, .cursorUp, .cursorDown, .wordLeft, .wordRight, .lineStart,
                             .lineEnd, .deleteWordBackward, .deleteToLineStart, .deleteToLineEnd]),
        ("Anywhere", .global, [.interrupt, .quit, .help, .focusNext, .focusPrevious, .focusEditor, .pageUp,
                               .pageDown, .redraw]),
        ("Transcript", .transcript, [.scrollUp, .scrollDown, .scrollTop, .scrollBottom]),
        ("Calls", .callTree, [.selectPrevious, .selectNext, .toggleExpand, .expand, .collapse]),
    ]

    /// The overlay's content lines.
    public func lines() -> [StyledLine] {
        var out: [StyledLine] = []
        for (title, context, actions) in Self.sections {
            if !out.isEmpty { out.append(StyledLine([])) }
            out.append(StyledLine([Span(title, .title, attributes: .bold)]))
            for action in actions {
                let keys = keyMap.keys(for: action, in: context)
                guard !keys.isEmpty else { continue }
                let keyText = TextFit.pad(keys.map(\.description).joined(separator: " "), to: 22)
                out.append(StyledLine([Span("  " + keyText, .accent), Span(" " + action.summary, .text)]))
            }
        }
        out.append(StyledLine([]))
        out.append(StyledLine([Span("Mouse", .title, attributes: .bold)]))
        out.append(StyledLine([Span("  " + TextFit.pad("wheel", to: 22), .accent), Span(" scroll the pane under it", .text)]))
        out.append(StyledLine([Span("  " + TextFit.pad("click", to: 22), .accent), Span(" focus a pane, select a call", .text)]))
        out.append(StyledLine([Span("  " + TextFit.pad("Shift-drag", to: 22), .accent), Span(" select text (terminal)", .text)]))
        out.append(StyledLine([]))
        out.append(StyledLine([Span("Commands", .title, attributes: .bold)]))
        for spec in SlashCommand.specs {
            out.append(StyledLine([Span("  " + TextFit.pad(spec.usage, to: 30), .accent),
                                   Span(" " + spec.summary, .text)]))
        }
        return out
    }

    public func render(in screen: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let content = lines()
        let width = min(screen.width - 2, 76)
        let height = min(screen.height - 2, content.count + 2)
        let box = screen.centered(Size(width: width, height: height))
        guard box.width >= 10, box.height >= 3 else { return }
        buffer.fill(box, style: theme[.overlay])
        let inner = Border(title: "Help", info: "Esc close · ↑↓ scroll", focused: true)
            .render(in: box, into: &buffer, theme: theme)
        let start = max(0, min(scroll, content.count - inner.height))
        for (i, line) in content.dropFirst(start).prefix(inner.height).enumerated() {
            var l = line
            l.fill = .overlay
            buffer.write(l, in: inner.row(i), theme: theme)
        }
    }
}
