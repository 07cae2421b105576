// A pre-check run on YAML text before Yams composes it: Yams builds its node tree recursively, so a file nested
// tens of thousands of levels deep ("[[[[…" or "- - - - …") would overflow the stack and crash the process.

/// Estimates how deeply YAML text nests, from the text alone, so hostile files are refused before parsing.
///
/// The estimate is an upper bound: twice the number of increasing indentation levels in effect (a block
/// collection may sit at its parent's indentation), plus the flow brackets open, plus the block indicators
/// (`- `, `? `, `: `) met so far on the line. Quoted text, comments and block scalars (`|`, `>`) are skipped.
/// Profiles and themes nest a handful of levels; the limit is far above that and far below what the stack holds.
public enum YAMLNesting {
    /// The estimate a file may reach.
    public static let limit = 128

    /// Where the estimate first exceeds `limit` (1-based line and column), or nil when the text is shallow enough.
    public static func firstTooDeep(_ text: String, limit: Int = YAMLNesting.limit) -> (line: Int, column: Int)? {
        var indents: [Int] = []
        var flow = 0
        var quote: Character?
        var blockScalarIndent: Int?
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let characters = Array(line)
            let indent = characters.prefix { $0 == " " }.count
            let content = characters[indent...]
            if let scalarIndent = blockScalarIndent {
                if content.isEmpty || content == ["\r"] || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if quote == nil && flow == 0 {
                if content.isEmpty || content.first == "#" || content == ["\r"] { continue }
                while let last = indents.last, last > indent { indents.removeLast() }
                if indents.last != indent { indents.append(indent) }
            }
            var indicators = 0
            var previous: Character = " "
            var end = characters.count  // where a comment starts
            var column = indent
            while column < characters.count {
                let c = characters[column]
                let next: Character? = column + 1 < characters.count ? characters[column + 1] : nil
                if let open = quote {
                    if open == "\"" && c == "\\" {
                        column += 2
                        continue
                    }
                    if c == open {
                        if open == "'" && next == "'" {
                            column += 2
                            continue
                        }
                        quote = nil
                    }
                } else {
                    switch c {
                    case "\"", "'":
                        quote = c
                    case "#" where previous == " " || previous == "\t":
                        end = column
                        column = characters.count
                        continue
                    case "[", "{":
                        flow += 1
                    case "]", "}":
                        flow = max(0, flow - 1)
                    case "-", "?", ":" where next == nil || next == " " || next == "\r":
                        indicators += 1
                    default:
                        break
                    }
                    if 2 * indents.count + flow + indicators > limit { return (lineIndex + 1, column + 1) }
                }
                previous = c
                column += 1
            }
            // A block scalar header (`key: |`, `- >-`): the more-indented lines after it are text.
            if quote == nil && flow == 0,
               let word = characters[..<end].split(whereSeparator: { $0 == " " || $0 == "\r" }).last,
               let first = word.first, first == "|" || first == ">",
               word.dropFirst().allSatisfy({ "+-0123456789".contains($0) }) {
                blockScalarIndent = indent
            }
        }
        return nil
    }
}
