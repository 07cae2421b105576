// A parsed JSON Schema `pattern`: its top-level alternatives, each anchored (`^`, `$`) or open at either end.
// JSON Schema patterns match anywhere in the string unless anchored, so the open sides matter for the grammar.

/// A regular expression from a schema's `pattern` (or a `format`'s fixed pattern), parsed by `RegexParser`.
///
/// Anchors are kept per top-level alternative because `^a|b$` means "starts with a, or ends with b": each
/// alternative is matched on its own, and a side without an anchor admits any characters there.
struct RegexPattern: Sendable, Equatable {
    /// One top-level alternative.
    struct Branch: Sendable, Equatable {
        /// Written with `^`: the match starts at the start of the string.
        var anchoredStart: Bool
        var node: RegexNode
        /// Written with `$`: the match ends at the end of the string.
        var anchoredEnd: Bool
    }

    /// The regex text, for error messages.
    var source: String
    var branches: [Branch]

    /// Parses ECMA-262 regex text; errors name `path` (the schema location) and the column in the pattern.
    static func parse(_ source: String, path: String) throws(GrammarError) -> RegexPattern {
        var parser = RegexParser(source, path: path)
        return RegexPattern(source: source, branches: try parser.parse())
    }

    /// The fewest and most characters (scalars) of a whole string the pattern accepts; `max` is nil when
    /// unbounded, as it is whenever a side is open.
    var lengthRange: (min: Int, max: Int?) {
        var lo = Int.max
        var hi: Int? = 0
        for b in branches {
            let r = b.node.lengthRange
            lo = min(lo, r.min)
            if b.anchoredStart && b.anchoredEnd, let m = r.max { hi = hi.map { max($0, m) } } else { hi = nil }
        }
        return (branches.isEmpty ? 0 : lo, hi)
    }
}
