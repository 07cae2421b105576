// Where a token or node sits in a template, for error messages users can act on.

/// A 1-based line and column (columns count Unicode scalars) inside a named template.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The template's name as given to ``Template/init(_:name:)``.
    public let name: String
    /// 1-based line number.
    public let line: Int
    /// 1-based column, counted in Unicode scalars.
    public let column: Int

    public init(name: String, line: Int, column: Int) {
        self.name = name
        self.line = line
        self.column = column
    }

    /// `name:line:column`, the form compilers print.
    public var description: String { "\(name):\(line):\(column)" }
}
