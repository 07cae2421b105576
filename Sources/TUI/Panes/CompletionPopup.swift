// The list of completion candidates shown above the editor while Tab cycles through them.

/// The completion popup.
public struct CompletionPopup: Sendable {
    public var completion: CompletionState
    public init(completion: CompletionState) { self.completion = completion }

    /// Draws the popup with its bottom edge just above `anchor` (the editor's top-left), inside `bounds`.
    public func render(above anchor: Point, within bounds: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let isCommand = completion.prefix == "/"
        let labels = completion.candidates.map { name -> (String, String) in
            guard isCommand, let spec = SlashCommand.specs.first(where: { $0.name == name }) else { return (name, "") }
            return ("/" + name, spec.summary)
        }
        let nameWidth = labels.map { DisplayWidth.of($0.0) }.max() ?? 0
        let summaryWidth = labels.map { DisplayWidth.of($0.1) }.max() ?? 0
        let width = min(bounds.width, nameWidth + (summaryWidth > 0 ? summaryWidth + 2 : 0) + 4)
        let visible = min(labels.count, 8, max(0, anchor.y - bounds.y - 2))
        guard visible > 0, width >= 8 else { return }
        let box = Rect(x: min(anchor.x + 2, bounds.right - width), y: anchor.y - visible - 2, width: width,
                       height: visible + 2)
        buffer.fill(box, style: theme[.overlay])
        let inner = Border(title: "\(completion.index + 1)/\(labels.count)", focused: true)
            .render(in: box, into: &buffer, theme: theme)
        let start = max(0, min(completion.index - visible + 1, labels.count - visible))
        for (row, i) in (start..<(start + visible)).enumerated() {
            let r = inner.row(row)
            let (name, summary) = labels[i]
            let line = StyledLine([Span(" " + TextFit.pad(name, to: nameWidth), .accent),
                                   Span(summary.isEmpty ? "" : "  " + summary, .dimText)], fill: .overlay)
            buffer.write(line, in: r, theme: theme)
            if i == completion.index { buffer.patchStyle(r, with: theme[.selection]) }
        }
    }
}
