// Maps a character offset inside a YAML string value back to a line and column of the file, so an error in a
// `{{ … }}` points at the expression itself and not just at the key it belongs to.
internal import Yams

/// Where a scalar's text begins in the file and how its later lines are indented.
struct TextLocator: Sendable, Equatable {
    var file: String
    /// Line and column of the value's first character.
    var line: Int
    var column: Int
    /// The column of the text of lines after the first (block scalars); nil: column 1.
    var continuationColumn: Int?

    /// A locator for text that is not in a file (command-line values) or whose place is only roughly known.
    static func at(_ location: SourceLocation) -> TextLocator {
        TextLocator(file: location.file, line: location.line, column: location.column, continuationColumn: nil)
    }

    /// The locator of a YAML scalar node, given the file's lines (to find a block scalar's indentation).
    init(node: Node, file: String, lines: [Substring]) {
        let mark = node.mark
        self.file = file
        line = mark?.line ?? 1
        column = mark?.column ?? 1
        continuationColumn = nil
        guard let scalar = node.scalar else { return }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            column += 1
            continuationColumn = Self.indentation(of: lines, from: line)
        case .literal, .folded:
            // The text starts on the line after the `|` or `>` indicator, at the block's indentation.
            line += 1
            column = Self.indentation(of: lines, from: line - 1) ?? 1
            continuationColumn = column
        case .plain, .any:
            continuationColumn = Self.indentation(of: lines, from: line)
        }
    }

    init(file: String, line: Int, column: Int, continuationColumn: Int?) {
        self.file = file
        self.line = line
        self.column = column
        self.continuationColumn = continuationColumn
    }

    /// The column of the first non-space character on the first non-blank line at or after `line` (1-based).
    static func indentation(of lines: [Substring], from line: Int) -> Int? {
        var index = line
        while index < lines.count {
            let text = lines[index]
            if !text.allSatisfy({ $0 == " " }) { return text.prefix { $0 == " " }.count + 1 }
            index += 1
        }
        return nil
    }

    /// The place of character `offset` of `text` (the scalar's value).
    func location(at offset: Int, in text: [Character]) -> SourceLocation {
        var line = self.line
        var column = self.column
        for character in text.prefix(max(0, min(offset, text.count))) {
            if character == "\n" {
                line += 1
                column = continuationColumn ?? 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
