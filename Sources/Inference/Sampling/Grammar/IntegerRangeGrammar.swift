// Integer `minimum`/`maximum` as a grammar: decimal numerals of a range are a regular language, built digit
// position by digit position (the classic range-to-pattern construction), so bounds hold while text is written.

/// Builds the expression of the decimal integers in a range (no leading zeros, `-` for negatives).
struct IntegerRangeGrammar {
    /// The most digits a numeral may have when a side is unbounded.
    let maxDigits: Int

    func expression(min lo: Int64?, max hi: Int64?) -> GrammarExpression {
        let largest = power(maxDigits) - 1
        var alternatives: [GrammarExpression] = []
        // Negative numbers: "-" and a magnitude in [-(hi or -1 capped), -lo].
        if lo.map({ $0 < 0 }) ?? true {
            let magnitudeLow = hi.map { $0 < 0 ? -$0 : 1 } ?? 1
            let magnitudeHigh = lo.map { -$0 } ?? largest
            if magnitudeLow <= magnitudeHigh {
                alternatives.append(.sequence([.literal("-"), nonNegative(magnitudeLow, min(magnitudeHigh, largest))]))
            }
        }
        if hi.map({ $0 >= 0 }) ?? true {
            let low = Swift.max(lo ?? 0, 0)
            let high = Swift.min(hi ?? largest, largest)
            if low <= high { alternatives.append(nonNegative(low, high)) }
        }
        if alternatives.isEmpty { return .characterClass([], negated: false) }  // matches nothing
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    private func power(_ k: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// Numerals of `a...b` (0 ≤ a ≤ b), grouped by digit count.
    private func nonNegative(_ a: Int64, _ b: Int64) -> GrammarExpression {
        var alternatives: [GrammarExpression] = []
        let da = String(a).count, db = String(b).count
        for k in da...db {
            let low = Swift.max(a, k == 1 ? 0 : power(k - 1))
            let high = Swift.min(b, power(k) - 1)
            if low <= high { alternatives.append(sameLength(Array(String(low).utf8), Array(String(high).utf8))) }
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// Numerals between two digit strings of the same length (inclusive).
    private func sameLength(_ s: [UInt8], _ t: [UInt8]) -> GrammarExpression {
        if s.isEmpty { return .empty }
        if s == t { return .literal(String(decoding: s, as: UTF8.self)) }
        let anyDigits = GrammarExpression.repetition(digitClass(0x30, 0x39), min: s.count - 1, max: s.count - 1)
        if s[0] == t[0] {
            return .sequence([.literal(String(UnicodeScalar(s[0]))), sameLength(Array(s.dropFirst()),
                                                                               Array(t.dropFirst()))])
        }
        let sRest = Array(s.dropFirst()), tRest = Array(t.dropFirst())
        let sRestZero = sRest.allSatisfy { $0 == 0x30 }
        let tRestNine = tRest.allSatisfy { $0 == 0x39 }
        var alternatives: [GrammarExpression] = []
        if !sRestZero {
            alternatives.append(.sequence([.literal(String(UnicodeScalar(s[0]))),
                                           sameLength(sRest, Array(repeating: 0x39, count: sRest.count))]))
        }
        let middleLow = sRestZero ? s[0] : s[0] + 1
        let middleHigh = tRestNine ? t[0] : t[0] - 1
        if middleLow <= middleHigh {
            alternatives.append(.sequence([digitClass(middleLow, middleHigh), anyDigits]))
        }
        if !tRestNine {
            alternatives.append(.sequence([.literal(String(UnicodeScalar(t[0]))),
                                           sameLength(Array(repeating: 0x30, count: tRest.count), tRest)]))
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    private func digitClass(_ lo: UInt8, _ hi: UInt8) -> GrammarExpression {
        .characterClass([UInt32(lo)...UInt32(hi)], negated: false)
    }
}
