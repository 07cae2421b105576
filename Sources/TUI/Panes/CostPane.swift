// Draws what the session costs: totals (local dollars and the cloud-equivalent price of the same tokens),
// tokens by kind, speculation yield, the budget bar, then per-call rows as room allows.

/// The cost pane.
public struct CostPane: Sendable {
    public var cost: CostSnapshot
    public init(cost: CostSnapshot) { self.cost = cost }

    /// The per-call table (also used by tests to check column dropping).
    public func table() -> Table {
        let columns = [
            Table.Column("call", width: 6, alignment: .left, priority: 9),
            Table.Column("prompt", width: 6, priority: 5),
            Table.Column("cached", width: 6, priority: 2),
            Table.Column("gen", width: 5, priority: 5),
            Table.Column("draft", width: 5, priority: 1),
            Table.Column("acc", width: 5, priority: 1),
            Table.Column("local", width: 7, priority: 4),
            Table.Column("cloud", width: 7, priority: 3),
        ]
        let rows = cost.calls.map { c in
            [c.label, Format.tokens(c.prompt), Format.tokens(c.cached), Format.tokens(c.generated),
             Format.tokens(c.drafted), Format.tokens(c.accepted), Format.dollars(c.localDollars),
             Format.dollars(c.cloudDollars)]
        }
        return Table(columns: columns, rows: rows)
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let inner = Border(title: "Cost", info: cost.calls.isEmpty ? "" : "\(cost.calls.count) calls")
            .render(in: area, into: &buffer, theme: theme)
        guard !inner.isEmpty else { return }
        let t = cost.totals
        var groups: [[[Span]]] = [
            [[Span("local ", .dimText), Span(Format.dollars(t.localDollars), .good)],
             [Span("cloud≈ ", .dimText), Span(Format.dollars(t.cloudDollars), .text)]],
            [[Span("in ", .dimText), Span(Format.tokens(t.prompt), .text),
              Span(" (" + Format.tokens(t.cached) + " cached)", .dimText)],
             [Span("out ", .dimText), Span(Format.tokens(t.generated), .text)]],
        ]
        // Batching: what the same calls would have cost one after another, and the saving.
        if t.sequentialDollars > t.localDollars * 1.001 {
            groups.append([[Span("batched saved ", .dimText), Span(Format.dollars(t.sequentialDollars - t.localDollars), .good)],
                           [Span("vs ", .dimText), Span(Format.dollars(t.sequentialDollars), .text),
                            Span(" one by one", .dimText)]])
        }
        if t.drafted > 0 {
            let rate = Double(t.accepted) / Double(t.drafted)
            groups.append([[Span("spec ", .dimText), Span(Format.tokens(t.accepted) + "/" + Format.tokens(t.drafted), .text),
                            Span(" accepted ", .dimText), Span(Format.percent(rate), .accent)]])
        }
        // Each group is one line when it fits, else one line per part.
        var lines: [StyledLine] = []
        for parts in groups {
            let joined = StyledLine(Array(parts.enumerated().flatMap { i, p in i == 0 ? p : [Span("  ")] + p }))
            if joined.width <= inner.width {
                lines.append(joined)
            } else {
                lines += parts.map { StyledLine($0) }
            }
        }
        var row = 0
        for line in lines where row < inner.height {
            buffer.write(line, in: inner.row(row), theme: theme)
            row += 1
        }
        if let budget = cost.budget, row < inner.height {
            let label = " " + Format.percent(budget.fraction) + " of " + budget.label
            let barWidth = max(0, inner.width - DisplayWidth.of(label) - 7)
            var x = inner.x
            x += buffer.write("budget ", at: Point(x: x, y: inner.y + row), style: theme[.dimText], clip: inner)
            let role = ProgressBar.role(for: budget.fraction)
            if barWidth >= 4 {
                x += buffer.write(ProgressBar.bar(budget.fraction, width: barWidth), at: Point(x: x, y: inner.y + row),
                                  style: theme[role], clip: inner)
            }
            buffer.write(label, at: Point(x: x, y: inner.y + row), style: theme[role], clip: inner)
            row += 1
        }
        let tableRows = inner.height - row - 1
        guard tableRows >= 2, !cost.calls.isEmpty else { return }
        row += 1
        var table = table()
        let fit = tableRows - 1
        if table.rows.count > fit { table.rows = Array(table.rows.suffix(fit)) }
        table.render(in: Rect(x: inner.x, y: inner.y + row, width: inner.width, height: tableRows),
                     into: &buffer, theme: theme)
    }
}
