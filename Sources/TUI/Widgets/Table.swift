// Aligned columns with a header, dropping the least important columns when the area is too narrow.

/// A simple table: each column has a width, an alignment and a priority.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var header: String
        public var width: Int
        public var alignment: TextFit.Alignment
        /// Lower numbers are dropped first when the table does not fit (0: never dropped before others).
        public var priority: Int
        public init(_ header: String, width: Int, alignment: TextFit.Alignment = .right, priority: Int = 1) {
            self.header = header
            self.width = width
            self.alignment = alignment
            self.priority = priority
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    /// Rows styled differently (the totals row): index → role.
    public var rowRoles: [Int: ThemeRole]

    public init(columns: [Column], rows: [[String]], rowRoles: [Int: ThemeRole] = [:]) {
        self.columns = columns
        self.rows = rows
        self.rowRoles = rowRoles
    }

    /// Indices of the columns that fit in `width` (one space between columns); the first column absorbs slack.
    public func visibleColumns(width: Int) -> [Int] {
        var shown = Array(columns.indices)
        func needed() -> Int { shown.reduce(0) { $0 + columns[$1].width } + max(0, shown.count - 1) }
        while needed() > width && shown.count > 1 {
            let drop = shown.dropFirst().min { columns[$0].priority < columns[$1].priority } ?? shown[shown.count - 1]
            shown.removeAll { $0 == drop }
        }
        return shown
    }

    /// The header and rows as text lines fitted to `width`.
    public func lines(width: Int) -> [String] {
        let shown = visibleColumns(width: width)
        let fixed = shown.dropFirst().reduce(0) { $0 + columns[$1].width } + max(0, shown.count - 1)
        let firstWidth = max(1, width - fixed)
        func format(_ cells: [String]) -> String {
            shown.enumerated().map { pos, i in
                let w = pos == 0 ? firstWidth : columns[i].width
                return TextFit.pad(i < cells.count ? cells[i] : "", to: w, alignment: columns[i].alignment)
            }.joined(separator: " ")
        }
        return [format(columns.map(\.header))] + rows.map(format)
    }

    /// Draws the table; returns the rows used.
    @discardableResult
    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) -> Int {
        let text = lines(width: area.width)
        for (i, line) in text.prefix(area.height).enumerated() {
            let role: ThemeRole = i == 0 ? .dimText : rowRoles[i - 1] ?? .text
            let style = i == 0 ? theme[role].adding(.bold) : theme[role]
            buffer.write(line, at: Point(x: area.x, y: area.y + i), style: style, clip: area)
        }
        return min(text.count, area.height)
    }
}
