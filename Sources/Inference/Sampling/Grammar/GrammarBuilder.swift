// Collects named rules and compiles them into a `Grammar`; the one way grammars are made, from GBNF text,
// from a JSON schema or from code.

/// A mutable set of rules with unique-name generation, compiled once with `build(root:)`.
public struct GrammarBuilder: Sendable {
    /// Rules in definition order (the order only affects names in error messages).
    public private(set) var rules: [(name: String, expression: GrammarExpression)] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Whether a rule of this name exists.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// Defines (or replaces) a rule.
    public mutating func define(_ name: String, _ expression: GrammarExpression) {
        if let i = index[name] {
            rules[i].expression = expression
        } else {
            index[name] = rules.count
            rules.append((name, expression))
        }
    }

    /// A name not used yet, made from `base` (letters, digits and '-' only, so it prints as valid GBNF).
    public func uniqueName(_ base: String) -> String {
        var cleaned = String(base.unicodeScalars.map { s -> Character in
            let c = Character(s)
            return (c.isASCII && (c.isLetter || c.isNumber)) ? c : "-"
        })
        if cleaned.isEmpty { cleaned = "rule" }
        if index[cleaned] == nil { return cleaned }
        var n = 1
        while index["\(cleaned)-\(n)"] != nil { n += 1 }
        return "\(cleaned)-\(n)"
    }

    /// Compiles the rules into a byte-level grammar that starts at `root`.
    public func build(root: String = "root") throws(GrammarError) -> Grammar {
        var compiler = GrammarCompiler(rules: rules, root: root)
        return try compiler.compile()
    }
}
