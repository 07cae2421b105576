// Parses GBNF, llama.cpp's grammar format, into rules: `name ::= alternatives`, literals, character classes,
// `.`, groups, `* + ? {m,n}`, and `#` comments. Errors give the 1-based line and column of the problem.

/// A one-shot GBNF parser; `Grammar(gbnf:)` is the public entry.
struct GBNFParser {
    private let text: [Unicode.Scalar]
    private var pos = 0
    private var builder = GrammarBuilder()
    /// Where each rule was first referenced and defined, for error messages.
    private var firstReference: [String: Int] = [:]
    private var definedAt: [String: Int] = [:]
    /// Groups open around the current position; bounded so deeply nested text cannot exhaust the stack.
    private var nesting = 0
    static let maxNesting = 256

    init(_ source: String) { text = Array(source.unicodeScalars) }

    mutating func parse() throws(GrammarError) -> GrammarBuilder {
        skipSpace(newlines: true)
        while pos < text.count { try parseRule() }
        let undefined = firstReference.filter { definedAt[$0.key] == nil }.min { $0.value < $1.value }
        if let (name, at) = undefined {
            let (line, column) = location(at)
            throw .undefinedRule(name: name, line: line, column: column)
        }
        return builder
    }

    // MARK: - Rules and expressions

    private mutating func parseRule() throws(GrammarError) {
        let start = pos
        let name = parseName()
        guard !name.isEmpty else { throw error(at: start, "expected a rule name (letters, digits and '-')") }
        skipSpace(newlines: false)
        guard consume("::=") else { throw error(at: pos, "expected '::=' after rule name '\(name)'") }
        skipSpace(newlines: true)
        let expression = try parseAlternates(nested: false)
        if pos < text.count {
            if text[pos] == "\r" { pos += 1 }
            guard pos < text.count, text[pos] == "\n" else {
                throw error(at: pos, "expected the end of the line after rule '\(name)', found '\(text[pos])'")
            }
            pos += 1
        }
        if definedAt[name] != nil {
            let (line, column) = location(start)
            throw .duplicateRule(name: name, line: line, column: column)
        }
        definedAt[name] = start
        builder.define(name, expression)
        skipSpace(newlines: true)
    }

    private mutating func parseAlternates(nested: Bool) throws(GrammarError) -> GrammarExpression {
        var alternatives = [try parseSequence(nested: nested)]
        while pos < text.count && text[pos] == "|" {
            pos += 1
            skipSpace(newlines: true)
            alternatives.append(try parseSequence(nested: nested))
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    private mutating func parseSequence(nested: Bool) throws(GrammarError) -> GrammarExpression {
        var items: [GrammarExpression] = []
        while pos < text.count {
            let c = text[pos]
            let start = pos
            switch c {
            case "\"":
                items.append(try parseLiteral())
            case "[":
                items.append(try parseClass())
            case "(":
                guard nesting < Self.maxNesting else {
                    throw error(at: pos, "groups are nested more than \(Self.maxNesting) levels deep")
                }
                pos += 1
                skipSpace(newlines: true)
                nesting += 1
                let inner = try parseAlternates(nested: true)
                nesting -= 1
                guard pos < text.count, text[pos] == ")" else {
                    let (line, column) = location(start)
                    throw error(at: pos, "expected ')' to close the '(' at line \(line), column \(column)")
                }
                pos += 1
                items.append(inner)
            case ".":
                pos += 1
                items.append(.anyCharacter)
            case "*", "+", "?", "{":
                guard let last = items.popLast() else {
                    throw error(at: pos, "'\(c)' must follow something to repeat")
                }
                items.append(try parseRepetition(of: last))
            case "<", "!":
                throw error(at: pos, "token references ('<…>', '!<…>') are not supported; write the text instead")
            default:
                guard isWordCharacter(c) else { return sequence(items) }
                let name = parseName()
                if firstReference[name] == nil { firstReference[name] = start }
                items.append(.rule(name))
            }
            skipSpace(newlines: nested)
        }
        return sequence(items)
    }

    private func sequence(_ items: [GrammarExpression]) -> GrammarExpression {
        items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func parseRepetition(of item: GrammarExpression) throws(GrammarError) -> GrammarExpression {
        let c = text[pos]
        pos += 1
        switch c {
        case "*": return .zeroOrMore(item)
        case "+": return .oneOrMore(item)
        case "?": return .optional(item)
        default: break
        }
        let open = pos - 1
        skipSpace(newlines: false)
        guard let min = parseInteger() else { throw error(at: pos, "expected a number after '{'") }
        skipSpace(newlines: false)
        var max: Int? = min
        if pos < text.count && text[pos] == "," {
            pos += 1
            skipSpace(newlines: false)
            max = parseInteger()
            skipSpace(newlines: false)
        }
        guard pos < text.count, text[pos] == "}" else {
            throw error(at: pos, "expected '}' to close the repetition opened at column \(location(open).1)")
        }
        pos += 1
        if let max, max < min {
            throw error(at: open, "repetition {\(min),\(max)} has a maximum below its minimum")
        }
        return .repetition(item, min: min, max: max)
    }

    private mutating func parseLiteral() throws(GrammarError) -> GrammarExpression {
        let open = pos
        pos += 1
        var out = String.UnicodeScalarView()
        while true {
            guard pos < text.count else { throw error(at: open, "string literal is not closed with '\"'") }
            if text[pos] == "\"" { break }
            out.append(try parseCharacter())
        }
        pos += 1
        return .literal(String(out))
    }

    private mutating func parseClass() throws(GrammarError) -> GrammarExpression {
        let open = pos
        pos += 1
        var negated = false
        if pos < text.count && text[pos] == "^" {
            negated = true
            pos += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard pos < text.count else { throw error(at: open, "character class is not closed with ']'") }
            if text[pos] == "]" { break }
            let lo = try parseCharacter().value
            var hi = lo
            if pos + 1 < text.count && text[pos] == "-" && text[pos + 1] != "]" {
                pos += 1
                let rangeStart = pos
                hi = try parseCharacter().value
                guard hi >= lo else { throw error(at: rangeStart, "character range ends before it starts") }
            }
            ranges.append(lo...hi)
        }
        pos += 1
        return .characterClass(ranges, negated: negated)
    }

    /// One character of a literal or class, with llama.cpp's escapes.
    private mutating func parseCharacter() throws(GrammarError) -> Unicode.Scalar {
        let c = text[pos]
        guard c == "\\" else {
            pos += 1
            return c
        }
        let escapeStart = pos
        guard pos + 1 < text.count else { throw error(at: pos, "unfinished escape at the end of the grammar") }
        let e = text[pos + 1]
        pos += 2
        switch e {
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "\\", "\"", "[", "]", "-": return e
        case "x", "u", "U":
            let digits = e == "x" ? 2 : e == "u" ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard pos < text.count, let d = hexValue(text[pos]) else {
                    throw error(at: escapeStart, "'\\\(e)' needs \(digits) hexadecimal digits")
                }
                value = value << 4 | d
                pos += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error(at: escapeStart, "'\\\(e)' escape is not a valid Unicode code point")
            }
            return scalar
        default:
            throw error(at: escapeStart, "unknown escape '\\\(e)'; use \\n \\r \\t \\\\ \\\" \\[ \\] \\- \\xHH \\uHHHH")
        }
    }

    // MARK: - Lexical helpers

    private func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
    }

    private mutating func parseName() -> String {
        var out = String.UnicodeScalarView()
        while pos < text.count && isWordCharacter(text[pos]) {
            out.append(text[pos])
            pos += 1
        }
        return String(out)
    }

    private mutating func parseInteger() -> Int? {
        var value = 0, digits = 0
        while pos < text.count, let d = decimal(text[pos]) {
            value = value > 10_000_000 ? value : value * 10 + d
            digits += 1
            pos += 1
        }
        return digits == 0 ? nil : value
    }

    private func decimal(_ c: Unicode.Scalar) -> Int? {
        c >= "0" && c <= "9" ? Int(c.value - 48) : nil
    }

    private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    private mutating func consume(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard pos + scalars.count <= text.count, Array(text[pos..<pos + scalars.count]) == scalars else {
            return false
        }
        pos += scalars.count
        return true
    }

    /// Skips blanks and comments (and line breaks when `newlines`).
    private mutating func skipSpace(newlines: Bool) {
        while pos < text.count {
            let c = text[pos]
            if c == " " || c == "\t" || (newlines && (c == "\n" || c == "\r")) {
                pos += 1
            } else if c == "#" {
                while pos < text.count && text[pos] != "\n" && text[pos] != "\r" { pos += 1 }
            } else {
                return
            }
        }
    }

    private func location(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for i in 0..<min(offset, text.count) {
            if text[i] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    private func error(at offset: Int, _ message: String) -> GrammarError {
        let (line, column) = location(offset)
        return .syntax(line: line, column: column, message: message)
    }
}
