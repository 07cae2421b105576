// The runtime hook of constrained decoding: masks the logits of every token the grammar forbids before
// sampling, and advances the grammar over the token that was chosen.

/// A grammar applied to one sequence's sampling. The scheduler calls `apply` on each step's logits, samples,
/// then calls `accept` with the chosen token; when `isComplete`, only end-of-generation remains allowed.
public struct GrammarConstraint: Sendable {
    public private(set) var matcher: GrammarMatcher
    private var mask: TokenMask
    /// Tokens that were accepted although the grammar did not allow them (a sampler bypassing `apply`); they
    /// leave the grammar state unchanged.
    public private(set) var rejectedTokens = 0

    public init(grammar: Grammar, vocabulary: GrammarVocabulary) {
        self.matcher = GrammarMatcher(grammar: grammar, vocabulary: vocabulary)
        self.mask = TokenMask(count: vocabulary.count)
    }

    /// Sets the logits of disallowed tokens to -infinity. `count` may exceed the vocabulary (padded output
    /// rows); those extra ids are disallowed. If the grammar has reached a dead end, end-of-generation tokens are
    /// left allowed so that generation stops instead of producing invalid text.
    public mutating func apply(to logits: UnsafeMutablePointer<Float>, count: Int) {
        matcher.allowedTokens(into: &mask)
        if mask.allowedCount == 0 {
            for t in matcher.vocabulary.endOfGeneration { mask.insert(t) }
        }
        let words = mask.words
        words.withUnsafeBufferPointer { w in
            var base = 0
            while base < count {
                let wordIndex = base >> 6
                let bits = wordIndex < w.count ? w[wordIndex] : 0
                let n = min(64, count - base)
                if bits != UInt64.max || n < 64 {
                    for k in 0..<n where bits & (UInt64(1) << UInt64(k)) == 0 {
                        logits[base + k] = -Float.infinity
                    }
                }
                base += 64
            }
        }
    }

    /// Advances the grammar over the sampled token.
    public mutating func accept(_ token: TokenID) {
        if !matcher.accept(token) { rejectedTokens += 1 }
    }

    /// The grammar is finished: nothing but end of generation may follow.
    public var isComplete: Bool { matcher.isComplete }

    /// The output so far is a complete sentence (it may also continue).
    public var canEnd: Bool { matcher.canEnd }
}
