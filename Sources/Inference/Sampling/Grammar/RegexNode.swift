// The parsed form of a JSON Schema `pattern` (ECMA-262 regex subset): code point sets, sequences, alternatives
// and counted repetitions — exactly what a grammar can express, anchors handled by `RegexPattern`.

/// One node of a parsed regular expression over Unicode scalars. Groups are gone (they only structure the tree)
/// and every quantifier is a `repetition` with bounds, so the conversion to grammar rules is a direct walk.
indirect enum RegexNode: Sendable, Equatable {
    /// One scalar from the set (never empty).
    case set(CodePointSet)
    /// Each part in order; the empty sequence matches the empty string.
    case sequence([RegexNode])
    /// Any one of the alternatives.
    case alternation([RegexNode])
    /// `min` to `max` matches of the node in a row (`max` nil: unbounded).
    case repetition(RegexNode, min: Int, max: Int?)

    static let empty = RegexNode.sequence([])

    /// Whether the node matches the empty string.
    var isNullable: Bool {
        switch self {
        case .set: return false
        case .sequence(let parts): return parts.allSatisfy(\.isNullable)
        case .alternation(let parts): return parts.contains(where: \.isNullable)
        case .repetition(let x, let min, let max): return min == 0 || max == 0 || x.isNullable
        }
    }

    /// The fewest and most scalars a match can have (`max` nil: unbounded). JSON Schema's `minLength` and
    /// `maxLength` count scalars too, so the two can be compared.
    var lengthRange: (min: Int, max: Int?) {
        switch self {
        case .set: return (1, 1)
        case .sequence(let parts):
            var lo = 0
            var hi: Int? = 0
            for p in parts {
                let r = p.lengthRange
                lo = Self.saturating(lo.addingReportingOverflow(r.min))
                hi = hi.flatMap { h in r.max.flatMap { Self.checked(h.addingReportingOverflow($0)) } }
            }
            return (lo, hi)
        case .alternation(let parts):
            let rs = parts.map(\.lengthRange)
            let hi: Int? = rs.contains { $0.max == nil } ? nil : rs.compactMap(\.max).max() ?? 0
            return (rs.map(\.min).min() ?? 0, hi)
        case .repetition(let x, let min, let max):
            let r = x.lengthRange
            let hi: Int? = max == 0 || r.max == 0 ? 0
                : max.flatMap { m in r.max.flatMap { Self.checked(m.multipliedReportingOverflow(by: $0)) } }
            return (Self.saturating(r.min.multipliedReportingOverflow(by: min)), hi)
        }
    }

    /// Lengths that overflow count as unbounded (a maximum) or as `Int.max` (a minimum): both only make the
    /// length check stricter.
    private static func checked(_ r: (partialValue: Int, overflow: Bool)) -> Int? { r.overflow ? nil : r.partialValue }
    private static func saturating(_ r: (partialValue: Int, overflow: Bool)) -> Int { r.overflow ? .max : r.partialValue }

    /// The same language without the empty string; nil when the node matches nothing but the empty string.
    /// Repetitions of nullable bodies are rewritten with it (`(a?){2,5}` is `a{0,5}`), because a grammar
    /// repetition whose body can match nothing cannot count its rounds.
    var withoutEmpty: RegexNode? {
        switch self {
        case .set: return self
        case .alternation(let parts):
            let kept = parts.compactMap(\.withoutEmpty)
            return kept.isEmpty ? nil : kept.count == 1 ? kept[0] : .alternation(kept)
        case .sequence(let parts):
            guard let first = parts.first else { return nil }
            let rest = RegexNode.sequence(Array(parts.dropFirst()))
            guard first.isNullable else { return self }
            // A nullable first part: either it matches something (then anything may follow), or it matches
            // nothing and the rest must match something.
            var alternatives: [RegexNode] = []
            if let head = first.withoutEmpty { alternatives.append(.sequence([head, rest])) }
            if let tail = rest.withoutEmpty { alternatives.append(tail) }
            return alternatives.isEmpty ? nil : alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
        case .repetition(let x, let min, let max):
            if max == 0 { return nil }
            guard let body = x.withoutEmpty else { return nil }
            if x.isNullable { return .repetition(body, min: 1, max: max) }
            return .repetition(body, min: Swift.max(1, min), max: max)
        }
    }
}
