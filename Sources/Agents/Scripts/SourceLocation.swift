// A place in a script file: what every script error and every template expression carries, so a message can
// say `examples/extract.yaml:12:9` and the user's editor can jump there.

/// A 1-based line and column in a named file (columns count Unicode scalars, as YAML's parser does).
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative, so messages match what was typed).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers use and editors understand.
    public var description: String { "\(file):\(line):\(column)" }
}
