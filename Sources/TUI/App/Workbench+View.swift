// The pure view function: lays out the panes for the size and draws them into a fresh buffer, with overlays
// (completion, help) on top and a clear message when the terminal is too small.

/// A rendered frame: the buffer and where the terminal cursor should be.
public struct Frame: Equatable, Sendable {
    public var buffer: ScreenBuffer
    public var cursor: Point?
}

extension Workbench {
    /// The screen for `state` at `size` in `theme`.
    public static func view(_ state: AppState, size: Size, theme: Theme) -> ScreenBuffer {
        frame(state, size: size, theme: theme).buffer
    }

    /// The screen and cursor position for `state` at `size` in `theme`.
    public static func frame(_ state: AppState, size: Size, theme: Theme) -> Frame {
        var state = state
        state.size = size
        var buffer = ScreenBuffer(size: size, fill: .blank(theme[.background]))
        let layout = WorkbenchLayout(state: state)
        if layout.tooSmall {
            renderTooSmall(size, into: &buffer, theme: theme)
            return Frame(buffer: buffer, cursor: nil)
        }
        TranscriptPane(entries: state.transcript, scroll: state.transcriptScroll,
                       focused: state.focus == .transcript && !state.showHelp, frame: state.frame)
            .render(in: layout.transcript, into: &buffer, theme: theme)
        let editorFocused = state.focus == .editor && !state.showHelp
        var cursor = EditorPane(editor: state.editor, focused: editorFocused,
                                hint: layout.editor.width >= 60 ? "Enter send · Alt-Enter newline" : "Enter send")
            .render(in: layout.editor, into: &buffer, theme: theme)
        if let area = layout.callTree {
            CallTreePane(nodes: state.callTree, expansion: state.expansion, selectedID: state.selectedCallID,
                         focused: state.focus == .callTree && !state.showHelp, frame: state.frame)
                .render(in: area, into: &buffer, theme: theme)
        }
        if let area = layout.cost { CostPane(cost: state.cost).render(in: area, into: &buffer, theme: theme) }
        if let area = layout.latency {
            LatencyPane(latency: state.latency).render(in: area, into: &buffer, theme: theme)
        }
        var status = state.status
        status.generating = state.isGenerating
        StatusBar(status: status, notice: state.notice, hints: hints(for: state), frame: state.frame)
            .render(in: layout.status, into: &buffer, theme: theme)
        if let completion = state.completion, !state.showHelp {
            CompletionPopup(completion: completion)
                .render(above: Point(x: layout.editor.x, y: layout.editor.y), within: layout.transcript,
                        into: &buffer, theme: theme)
        }
        if state.showHelp {
            HelpOverlay(keyMap: state.keyMap, scroll: state.helpScroll)
                .render(in: buffer.area, into: &buffer, theme: theme)
            cursor = nil
        }
        return Frame(buffer: buffer, cursor: cursor)
    }

    /// Key hints for the status bar, by focus.
    static func hints(for state: AppState) -> [(key: String, action: String)] {
        if state.showHelp { return [("Esc", "close")] }
        switch state.focus {
        case .editor:
            return [("Enter", "send"), ("Tab", "panes"), ("F1", "help"),
                    ("^C", state.isGenerating ? "cancel" : "quit")]
        case .transcript:
            return [("↑↓", "scroll"), ("PgUp/Dn", "page"), ("End", "follow"), ("Esc", "editor")]
        case .callTree:
            return [("↑↓", "select"), ("Enter", "expand"), ("Esc", "editor")]
        }
    }

    static func renderTooSmall(_ size: Size, into buffer: inout ScreenBuffer, theme: Theme) {
        let need = WorkbenchLayout.minimumSize
        let lines: [(String, ThemeRole)] = [
            ("Terminal too small", .warn),
            ("\(size.width)×\(size.height), need \(need.width)×\(need.height)", .text),
            ("enlarge the window", .dimText),
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, (text, role)) in lines.enumerated() {
            let t = TextFit.truncate(text, to: size.width)
            let x = max(0, (size.width - DisplayWidth.of(t)) / 2)
            buffer.write(t, at: Point(x: x, y: top + i), style: theme[role])
        }
    }
}
