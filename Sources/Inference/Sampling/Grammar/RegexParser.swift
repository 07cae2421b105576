// Recursive-descent parser for the ECMA-262 regex subset JSON schemas use in `pattern`: literals and escapes,
// `.`, classes, \d \w \s and their negations, groups, alternation and greedy or lazy quantifiers.

/// Parses a pattern into `RegexPattern`. Everything a grammar can express is accepted; features it cannot
/// (lookaround, backreferences, word boundaries, anchors in the middle) are `GrammarError.unsupportedPattern`,
/// malformed text is `GrammarError.invalidPattern`; both carry the schema path and the 1-based column.
///
/// Matching is over Unicode scalars (like Python's `re` and ECMA-262 with the `u` flag): `.` is one scalar, and
/// a `\uD83D\uDE00` surrogate pair is one scalar. Lazy quantifiers (`*?`) are taken as greedy: they change
/// which match is found, never whether one exists.
struct RegexParser {
    /// Groups nested deeper than this are refused (the parser and the conversion recurse per level).
    static let maxDepth = 64

    private let source: String
    private let path: String
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    init(_ source: String, path: String) {
        self.source = source
        self.path = path
        self.scalars = Array(source.unicodeScalars)
    }

    // MARK: - Character sets of the escapes

    static let digits = CodePointSet([0x30...0x39])
    static let wordCharacters = CodePointSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// ECMA-262 WhiteSpace and LineTerminator.
    static let whitespace = CodePointSet([0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
                                          0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
                                          0xFEFF...0xFEFF])
    /// What `.` matches: anything but a line terminator.
    static let dot = CodePointSet([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]).inverted

    // MARK: - Errors

    private func invalid(_ message: String, at position: Int? = nil) -> GrammarError {
        .invalidPattern(path: path, pattern: source, column: (position ?? index) + 1, message: message)
    }

    private func unsupported(_ feature: String, at position: Int? = nil) -> GrammarError {
        .unsupportedPattern(path: path, pattern: source, column: (position ?? index) + 1, feature: feature)
    }

    // MARK: - Structure

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func consume(_ c: Unicode.Scalar) -> Bool {
        guard peek == c else { return false }
        index += 1
        return true
    }

    /// pattern := branch ('|' branch)*, where a top-level branch may start with `^` and end with `$`.
    mutating func parse() throws(GrammarError) -> [RegexPattern.Branch] {
        var branches: [RegexPattern.Branch] = []
        repeat {
            let anchoredStart = consume("^")
            var items: [RegexNode] = []
            var anchoredEnd = false
            while let c = peek, c != "|", c != ")" {
                if c == "$" {
                    guard peek(1) == nil || peek(1) == "|" else {
                        throw unsupported("anchor '$' inside the pattern (only at the end of the pattern or of a "
                                          + "top-level alternative)")
                    }
                    index += 1
                    anchoredEnd = true
                    break
                }
                items.append(try parseTerm())
            }
            branches.append(.init(anchoredStart: anchoredStart, node: Self.sequence(items), anchoredEnd: anchoredEnd))
        } while consume("|")
        if peek == ")" { throw invalid("unbalanced ')'") }
        return branches
    }

    /// alternatives := sequence ('|' sequence)*, inside a group.
    private mutating func parseAlternatives() throws(GrammarError) -> RegexNode {
        var alternatives: [RegexNode] = []
        repeat {
            var items: [RegexNode] = []
            while let c = peek, c != "|", c != ")" { items.append(try parseTerm()) }
            alternatives.append(Self.sequence(items))
        } while consume("|")
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private static func sequence(_ items: [RegexNode]) -> RegexNode { items.count == 1 ? items[0] : .sequence(items) }

    /// term := atom quantifier?
    private mutating func parseTerm() throws(GrammarError) -> RegexNode {
        let atom = try parseAtom()
        let start = index
        guard let (min, max) = try parseQuantifier() else { return atom }
        _ = consume("?")  // lazy: same language
        if let max, max < min { throw invalid("the counts in '{\(min),\(max)}' are out of order", at: start) }
        return .repetition(atom, min: min, max: max)
    }

    /// `?`, `*`, `+`, `{n}`, `{n,}` or `{n,m}` at the cursor (consumed), or nil (nothing consumed).
    private mutating func parseQuantifier() throws(GrammarError) -> (Int, Int?)? {
        switch peek {
        case "?": index += 1; return (0, 1)
        case "*": index += 1; return (0, nil)
        case "+": index += 1; return (1, nil)
        case "{":
            guard let (min, max, length) = try braceQuantifier(at: index) else { return nil }
            index += length
            return (min, max)
        default: return nil
        }
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` starting at `start` without moving the cursor: the counts and the length
    /// of the text, or nil when the brace does not open a quantifier (then it is a literal `{`, as in browsers).
    private func braceQuantifier(at start: Int) throws(GrammarError) -> (Int, Int?, Int)? {
        var i = start + 1
        func number() throws(GrammarError) -> Int? {
            let first = i
            var value = 0
            while i < scalars.count, let d = Self.digitValue(scalars[i]) {
                value = value * 10 + d
                if value > GrammarCompiler.maxRepetition {
                    throw invalid("a count in '{…}' is above \(GrammarCompiler.maxRepetition)", at: start)
                }
                i += 1
            }
            return i > first ? value : nil
        }
        guard let min = try number() else { return nil }
        var max: Int? = min
        if i < scalars.count, scalars[i] == "," {
            i += 1
            max = try number()
        }
        guard i < scalars.count, scalars[i] == "}" else { return nil }
        return (min, max, i + 1 - start)
    }

    // MARK: - Atoms

    private mutating func parseAtom() throws(GrammarError) -> RegexNode {
        guard let c = peek else { throw invalid("the pattern ends too early") }
        let start = index
        switch c {
        case ".":
            index += 1
            return .set(Self.dot)
        case "(":
            return try parseGroup()
        case "[":
            return .set(try parseClass())
        case "\\":
            index += 1
            return .set(try parseEscape(inClass: false, start: start))
        case "*", "+", "?":
            throw invalid("nothing to repeat before '\(c)'")
        case "{":
            if try braceQuantifier(at: index) != nil { throw invalid("nothing to repeat before '{'") }
            index += 1
            return .set(CodePointSet(c.value))
        case "^":
            throw unsupported("anchor '^' inside the pattern (only at the start of the pattern or of a top-level "
                              + "alternative)")
        case "$":
            throw unsupported("anchor '$' inside the pattern (only at the end of the pattern or of a top-level "
                              + "alternative)")
        default:
            index += 1
            return .set(CodePointSet(c.value))
        }
    }

    /// `(…)`, `(?:…)` or `(?<name>…)`; lookaround and inline flags are refused.
    private mutating func parseGroup() throws(GrammarError) -> RegexNode {
        let open = index
        index += 1
        if consume("?") {
            switch (peek, peek(1)) {
            case (":", _): index += 1
            case ("=", _): throw unsupported("lookahead '(?='", at: open)
            case ("!", _): throw unsupported("negative lookahead '(?!'", at: open)
            case ("<", "="): throw unsupported("lookbehind '(?<='", at: open)
            case ("<", "!"): throw unsupported("negative lookbehind '(?<!'", at: open)
            case ("<", _):
                index += 1
                while let c = peek, c != ">" {
                    guard c.properties.isAlphabetic || c == "_" || c == "$" || c.properties.numericType != nil else {
                        throw invalid("a group name may hold only letters, digits, '_' and '$'")
                    }
                    index += 1
                }
                guard consume(">") else { throw invalid("the group name after '(?<' has no closing '>'", at: open) }
            case ("P", _): throw unsupported("Python-style group '(?P' (write '(?<name>…)' or '(?:…)')", at: open)
            default: throw unsupported("inline flags or an unknown group '(?\(peek.map(String.init) ?? "")'", at: open)
            }
        }
        depth += 1
        if depth > Self.maxDepth { throw unsupported("groups nested more than \(Self.maxDepth) deep", at: open) }
        let inner = try parseAlternatives()
        depth -= 1
        guard consume(")") else { throw invalid("missing ')' for the '(' at column \(open + 1)") }
        return inner
    }

    /// `[…]` or `[^…]` (the cursor is on `[`): the set of scalars it matches.
    private mutating func parseClass() throws(GrammarError) -> CodePointSet {
        let open = index
        index += 1
        let negated = consume("^")
        var set = CodePointSet.empty
        if consume("]") {
            // ECMA-262: `[]` matches nothing, `[^]` any character.
            if negated { return .all }
            throw invalid("the empty class '[]' matches no character", at: open)
        }
        while true {
            guard let c = peek else { throw invalid("missing ']' for the '[' at column \(open + 1)") }
            if c == "]" {
                index += 1
                break
            }
            let itemStart = index
            let low = try parseClassAtom()
            // A range `a-z`, unless the '-' is the last character of the class.
            if peek == "-", let next = peek(1), next != "]" {
                index += 1
                let highStart = index
                let high = try parseClassAtom()
                guard let lo = low.singleScalar, let hi = high.singleScalar else {
                    throw invalid("a range cannot start or end with a class escape like '\\d'", at: itemStart)
                }
                guard lo <= hi else {
                    throw invalid("the range '\(Self.text(lo))-\(Self.text(hi))' is out of order", at: highStart)
                }
                set = set.union(CodePointSet([lo...hi]))
            } else {
                set = set.union(low)
            }
        }
        if negated { set = set.inverted }
        if set.isEmpty { throw invalid("the class matches no character", at: open) }
        return set
    }

    private mutating func parseClassAtom() throws(GrammarError) -> CodePointSet {
        guard let c = peek else { throw invalid("the pattern ends inside a class") }
        let start = index
        index += 1
        if c == "\\" { return try parseEscape(inClass: true, start: start) }
        return CodePointSet(c.value)
    }

    /// The escape after a backslash (the cursor is after it; `start` is the backslash's index).
    private mutating func parseEscape(inClass: Bool, start: Int) throws(GrammarError) -> CodePointSet {
        guard let c = peek else { throw invalid("the pattern ends with a lone backslash", at: start) }
        index += 1
        switch c {
        case "d": return Self.digits
        case "D": return Self.digits.inverted
        case "w": return Self.wordCharacters
        case "W": return Self.wordCharacters.inverted
        case "s": return Self.whitespace
        case "S": return Self.whitespace.inverted
        case "t": return CodePointSet(0x09)
        case "n": return CodePointSet(0x0A)
        case "v": return CodePointSet(0x0B)
        case "f": return CodePointSet(0x0C)
        case "r": return CodePointSet(0x0D)
        case "b":
            if inClass { return CodePointSet(0x08) }
            throw unsupported("word boundary '\\b'", at: start)
        case "B": throw unsupported("non-boundary '\\B'", at: start)
        case "0":
            if let d = peek, ("0"..."9").contains(d) { throw unsupported("octal escape '\\0\(d)'", at: start) }
            return CodePointSet(0)
        case "1"..."9": throw unsupported("backreference '\\\(c)'", at: start)
        case "k": throw unsupported("named backreference '\\k'", at: start)
        case "p", "P": throw unsupported("Unicode property escape '\\\(c)'", at: start)
        case "c":
            guard let l = peek, l.isASCII, l.properties.isAlphabetic else {
                throw invalid("'\\c' must be followed by a letter", at: start)
            }
            index += 1
            return CodePointSet(l.value % 32)
        case "x":
            guard let v = hexDigits(2) else { throw invalid("'\\x' must be followed by two hex digits", at: start) }
            return CodePointSet(v)
        case "u":
            if peek == "{" { throw unsupported("'\\u{…}' escape (write '\\uXXXX')", at: start) }
            guard let v = hexDigits(4) else { throw invalid("'\\u' must be followed by four hex digits", at: start) }
            // A surrogate pair written as two escapes is one scalar.
            if (0xD800...0xDBFF).contains(v), peek == "\\", peek(1) == "u" {
                let save = index
                index += 2
                if let low = hexDigits(4), (0xDC00...0xDFFF).contains(low) {
                    return CodePointSet(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00))
                }
                index = save
            }
            if (0xD800...0xDFFF).contains(v) { throw unsupported("a lone surrogate '\\u\(Self.hex(v))'", at: start) }
            return CodePointSet(v)
        case "-" where inClass:
            return CodePointSet(c.value)
        default:
            if c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) {
                throw unsupported("unknown escape '\\\(c)'", at: start)
            }
            return CodePointSet(c.value)  // an escaped syntax character or punctuation: itself
        }
    }

    /// Exactly `count` hex digits at the cursor (consumed), or nil (nothing consumed).
    private mutating func hexDigits(_ count: Int) -> UInt32? {
        guard index + count <= scalars.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<count {
            guard let d = UInt32(String(scalars[index + k]), radix: 16) else { return nil }
            value = value * 16 + d
        }
        index += count
        return value
    }

    private static func digitValue(_ s: Unicode.Scalar) -> Int? {
        ("0"..."9").contains(s) ? Int(s.value) - 0x30 : nil
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func text(_ v: UInt32) -> String {
        guard let s = Unicode.Scalar(v), v >= 0x20, v != 0x7F else { return "\\u" + hex(v) }
        return String(s)
    }
}
