// Draws the input editor: wrapped multi-line text with a prompt, a placeholder when empty, and the terminal
// cursor placed on the right grapheme.

/// The editor pane.
public struct EditorPane: Sendable {
    public var editor: EditorState
    public var focused: Bool
    /// Hint shown in the border (what Enter does now).
    public var hint: String

    public init(editor: EditorState, focused: Bool, hint: String = "Enter send · Alt-Enter newline") {
        self.editor = editor
        self.focused = focused
        self.hint = hint
    }

    static let prompt = "› "
    static let promptWidth = 2

    /// Text width inside the border and after the prompt.
    public static func textWidth(for outerWidth: Int) -> Int { max(1, outerWidth - 2 - promptWidth) }

    /// Rows of text the editor needs at this outer width (before capping).
    public static func textRows(_ editor: EditorState, outerWidth: Int) -> Int {
        WordWrap.lines(editor.text, width: textWidth(for: outerWidth)).count
    }

    /// Draws the pane; returns where the terminal cursor belongs (nil when the cursor is not visible).
    @discardableResult
    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) -> Point? {
        let inner = Border(title: "Message", info: focused ? hint : "", focused: focused)
            .render(in: area, into: &buffer, theme: theme)
        guard !inner.isEmpty else { return nil }
        let width = Self.textWidth(for: area.width)
        let textX = inner.x + Self.promptWidth
        buffer.write(Self.prompt, at: Point(x: inner.x, y: inner.y), style: theme[focused ? .accent : .dimText])
        if editor.isEmpty {
            let placeholder = "Ask anything · / for commands · F1 for keys"
            buffer.write(TextFit.truncate(placeholder, to: width), at: Point(x: textX, y: inner.y),
                         style: theme[.dimText], clip: inner)
            return focused ? Point(x: textX, y: inner.y) : nil
        }
        let lines = WordWrap.lines(editor.text, width: width)
        let chars = editor.characters
        var cursorRow = 0
        for (i, line) in lines.enumerated() where line.start <= editor.cursor { cursorRow = i }
        let start = max(0, min(cursorRow - inner.height + 1, lines.count - inner.height))
        for (row, line) in lines.dropFirst(start).prefix(inner.height).enumerated() {
            buffer.write(line.text, at: Point(x: textX, y: inner.y + row), style: theme[.text], clip: inner)
        }
        if start > 0 {
            buffer.write("↑", at: Point(x: inner.x, y: inner.y), style: theme[.dimText])
        }
        guard focused else { return nil }
        let line = lines[cursorRow]
        let from = min(max(0, line.start), chars.count)
        let to = min(max(from, editor.cursor), chars.count)
        let column = DisplayWidth.of(String(chars[from..<to]))
        return Point(x: textX + min(column, max(0, width - 1)), y: inner.y + cursorRow - start)
    }
}
