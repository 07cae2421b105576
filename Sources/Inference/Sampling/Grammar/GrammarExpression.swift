// The source form of a grammar: what the GBNF parser, the JSON Schema converter and hand-written builders produce
// before compilation into a byte-level automaton.

/// One right-hand side of a grammar rule. Terminals are Unicode text (literals, code point classes); compilation
/// turns them into UTF-8 bytes, so a constraint can follow tokens that split a character.
public indirect enum GrammarExpression: Sendable, Equatable {
    /// The exact text, as UTF-8 bytes.
    case literal(String)
    /// One code point from the ranges (or, when `negated`, any code point outside them).
    case characterClass([ClosedRange<UInt32>], negated: Bool)
    /// Any one code point (GBNF `.`).
    case anyCharacter
    /// The rule with this name.
    case rule(String)
    /// Each part in order; the empty sequence matches the empty string.
    case sequence([GrammarExpression])
    /// Any one of the alternatives.
    case choice([GrammarExpression])
    /// `min` to `max` repetitions (`max` nil: unbounded).
    case repetition(GrammarExpression, min: Int, max: Int?)

    /// Matches only the empty string.
    public static let empty = GrammarExpression.sequence([])

    /// Zero or one occurrence.
    public static func optional(_ e: GrammarExpression) -> GrammarExpression { .repetition(e, min: 0, max: 1) }

    /// Zero or more occurrences.
    public static func zeroOrMore(_ e: GrammarExpression) -> GrammarExpression { .repetition(e, min: 0, max: nil) }

    /// One or more occurrences.
    public static func oneOrMore(_ e: GrammarExpression) -> GrammarExpression { .repetition(e, min: 1, max: nil) }

    /// A class of single characters given as a string of characters, e.g. `.characters("+-")`.
    public static func characters(_ chars: String, negated: Bool = false) -> GrammarExpression {
        .characterClass(chars.unicodeScalars.map { $0.value...$0.value }, negated: negated)
    }

    /// Names of the rules this expression refers to, in order of appearance.
    var referencedRules: [String] {
        switch self {
        case .literal, .characterClass, .anyCharacter: return []
        case .rule(let name): return [name]
        case .sequence(let parts), .choice(let parts): return parts.flatMap(\.referencedRules)
        case .repetition(let e, _, _): return e.referencedRules
        }
    }
}
