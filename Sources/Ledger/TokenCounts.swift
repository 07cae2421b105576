// Token counts of one call or of a roll-up of calls, by kind of token.
// Integers only, so a roll-up is exact whatever the order of addition.

/// How many tokens of each kind a call (or a set of calls) handled.
///
/// Kept apart from `CallRecord` so that trees, totals and the TUI's cost pane add counts with one `+`.
public struct TokenCounts: Hashable, Codable, Sendable, AdditiveArithmetic {
    /// Prompt tokens the model read, including those served from the KV cache.
    public var prompt: Int
    /// The part of `prompt` that was served from the KV cache (not recomputed); priced as cached input.
    public var cached: Int
    /// Tokens the model generated and kept (the answer).
    public var generated: Int
    /// Tokens proposed by a drafter during speculative decoding.
    public var drafted: Int
    /// Drafted tokens the target model accepted.
    public var accepted: Int
    /// Drafted tokens the target model rejected (usually `drafted - accepted`; a cancelled round may leave some
    /// drafts neither accepted nor rejected, so it is counted, not derived).
    public var rejected: Int

    public init(prompt: Int = 0, cached: Int = 0, generated: Int = 0,
                drafted: Int = 0, accepted: Int = 0, rejected: Int = 0) {
        self.prompt = prompt
        self.cached = cached
        self.generated = generated
        self.drafted = drafted
        self.accepted = accepted
        self.rejected = rejected
    }

    public static let zero = TokenCounts()

    /// Prompt tokens that had to be computed (not served from the cache).
    public var uncachedPrompt: Int { prompt - cached }

    /// Share of drafted tokens that were accepted, or nil when nothing was drafted.
    public var acceptanceRate: Double? { drafted > 0 ? Double(accepted) / Double(drafted) : nil }

    /// Field-wise sum; saturates instead of trapping, because counts can come from a damaged ledger file.
    public static func + (lhs: TokenCounts, rhs: TokenCounts) -> TokenCounts {
        TokenCounts(prompt: lhs.prompt.saturatingAdd(rhs.prompt), cached: lhs.cached.saturatingAdd(rhs.cached),
                    generated: lhs.generated.saturatingAdd(rhs.generated),
                    drafted: lhs.drafted.saturatingAdd(rhs.drafted),
                    accepted: lhs.accepted.saturatingAdd(rhs.accepted),
                    rejected: lhs.rejected.saturatingAdd(rhs.rejected))
    }

    /// Field-wise difference (AdditiveArithmetic); saturates like `+`.
    public static func - (lhs: TokenCounts, rhs: TokenCounts) -> TokenCounts {
        lhs + TokenCounts(prompt: rhs.prompt.saturatingNegated, cached: rhs.cached.saturatingNegated,
                          generated: rhs.generated.saturatingNegated, drafted: rhs.drafted.saturatingNegated,
                          accepted: rhs.accepted.saturatingNegated, rejected: rhs.rejected.saturatingNegated)
    }
}

extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, clamped to the type's range instead of trapping on overflow.
    func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `-self`, with `-min` clamped to `max`.
    var saturatingNegated: Self { self == .min ? .max : -self }
}
