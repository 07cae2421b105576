// Turns a parsed `pattern` into the grammar of a JSON string literal whose decoded text matches it: the regex
// works on decoded characters, the grammar on JSON text, so every character is written the way JSON spells it.

/// The JSON string grammar of a `RegexPattern`.
///
/// Each character has exactly one spelling, the one `JSON.stringify` and Python's `json.dumps` write: `"` and
/// `\` escaped (`\"`, `\\`), control characters as `\b \t \n \f \r` or `\u00XX`, everything else (non-ASCII
/// included) raw. One spelling per character keeps the grammar deterministic, and a model never needs another.
/// Open sides of the pattern (no `^` or no `$`) admit any characters, as JSON Schema's unanchored search does.
/// Quantifiers keep their bounds: an unbounded `*` stays unbounded, so a pattern that should bound a string's
/// length must say so itself (`{1,80}`).
enum PatternGrammar {
    /// The expression of a JSON string literal, quotes included, whose text matches `pattern`.
    static func expression(for pattern: RegexPattern) -> GrammarExpression {
        let anyText = GrammarExpression.zeroOrMore(encoded(.all))
        var alternatives: [GrammarExpression] = []
        for branch in pattern.branches {
            // An open branch that can match nothing makes every string match.
            if !branch.anchoredStart && !branch.anchoredEnd && branch.node.isNullable {
                alternatives = [anyText]
                break
            }
            var parts: [GrammarExpression] = []
            if !branch.anchoredStart { parts.append(anyText) }
            parts.append(expression(for: branch.node))
            if !branch.anchoredEnd { parts.append(anyText) }
            alternatives.append(parts.count == 1 ? parts[0] : .sequence(parts))
        }
        let body = alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
        return .sequence([.literal("\""), body, .literal("\"")])
    }

    /// The JSON text of a regex node, without quotes.
    static func expression(for node: RegexNode) -> GrammarExpression {
        switch node {
        case .set(let set):
            return encoded(set)
        case .sequence(let parts):
            // Runs of single characters become one literal.
            var out: [GrammarExpression] = []
            var run = ""
            for p in parts {
                if case .set(let s) = p, let v = s.singleScalar {
                    run += spelling(v)
                    continue
                }
                if !run.isEmpty { out.append(.literal(run)); run = "" }
                out.append(expression(for: p))
            }
            if !run.isEmpty { out.append(.literal(run)) }
            return out.count == 1 ? out[0] : .sequence(out)
        case .alternation(let parts):
            return .choice(parts.map { expression(for: $0) })
        case .repetition(let x, let min, let max):
            guard x.isNullable else { return .repetition(expression(for: x), min: min, max: max) }
            // `(a?){2,5}` is `a{0,5}`: a grammar repetition needs a body that consumes input to count rounds.
            guard let body = x.withoutEmpty, max != 0 else { return .empty }
            return .repetition(expression(for: body), min: 0, max: max)
        }
    }

    /// Characters that must be escaped inside a JSON string.
    static let escaped = CodePointSet([0x00...0x1F, 0x22...0x22, 0x5C...0x5C])

    /// One character from `set`, as JSON text.
    static func encoded(_ set: CodePointSet) -> GrammarExpression {
        if let v = set.singleScalar { return .literal(spelling(v)) }
        let raw = set.subtracting(escaped)
        let special = set.intersection(escaped).scalars
        var alternatives: [GrammarExpression] = []
        if !raw.isEmpty { alternatives.append(.characterClass(raw.ranges, negated: false)) }
        if !special.isEmpty {
            // After the backslash: one letter or quote (`\n`, `\"`), or `u00` and two hex digits.
            var letters = ""
            var unicode: [UInt32: [UInt32]] = [:]
            for v in special {
                if let short = shortEscapes[v] { letters.append(short) } else { unicode[v >> 4, default: []].append(v & 0xF) }
            }
            var tails: [GrammarExpression] = []
            if !letters.isEmpty { tails.append(.characters(letters)) }
            if !unicode.isEmpty {
                let byHigh = unicode.keys.sorted().map { high -> GrammarExpression in
                    let lows = unicode[high, default: []].map { low -> ClosedRange<UInt32> in
                        let digit = String(low, radix: 16).unicodeScalars.first?.value ?? 0x30
                        return digit...digit
                    }
                    return .sequence([.literal(String(high, radix: 16)), .characterClass(lows, negated: false)])
                }
                tails.append(.sequence([.literal("u00"), byHigh.count == 1 ? byHigh[0] : .choice(byHigh)]))
            }
            alternatives.append(.sequence([.literal("\\"), tails.count == 1 ? tails[0] : .choice(tails)]))
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// The letter after the backslash for the characters JSON escapes with one.
    private static let shortEscapes: [UInt32: Character] = [
        0x08: "b", 0x09: "t", 0x0A: "n", 0x0C: "f", 0x0D: "r", 0x22: "\"", 0x5C: "\\",
    ]

    /// The JSON spelling of one character inside a string.
    static func spelling(_ v: UInt32) -> String {
        if let short = shortEscapes[v] { return "\\" + String(short) }
        if v < 0x20 { return "\\u00" + (v < 0x10 ? "0" : "") + String(v, radix: 16) }
        return Unicode.Scalar(v).map { String($0) } ?? ""
    }
}
