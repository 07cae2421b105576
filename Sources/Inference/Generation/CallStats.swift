// Counts and timings of one generation; derived figures (TTFT, tokens/s, ITL percentiles) are computed, never
// stored, so they cannot disagree with the counts they come from.

/// What one model call did and how long it took. Times are seconds on a monotonic clock.
public struct CallStats: Sendable, Equatable, Codable {
    public var promptTokens = 0
    /// Prompt tokens whose keys and values were already in the cache (not recomputed).
    public var cachedTokens = 0
    public var generatedTokens = 0
    public var draftedTokens = 0
    public var acceptedTokens = 0
    public var startTime: Double = 0
    /// When the prompt was processed and the first token sampled.
    public var firstTokenTime: Double = 0
    public var endTime: Double = 0
    /// Gaps between consecutive generated tokens (inter-token latency).
    public var interTokenLatencies: [Double] = []
    /// This call's share of the model's compute time (a batched step's time is split among its sequences).
    public var computeSeconds: Double = 0
    /// Mean number of sequences that shared each forward pass this call took part in.
    public var meanBatchSize: Double = 1
    /// `computeSeconds` over the full duration of the passes it took part in (1 when it ran alone).
    public var computeShare: Double = 1
    /// Estimated compute seconds had the call run alone (each pass it shared priced at the measured cost of a
    /// pass of its own rows): the saving batching brought is this minus `computeSeconds`.
    public var soloComputeSeconds: Double = 0

    public init() {}

    /// Tokens that had to be prefilled.
    public var prefilledTokens: Int { promptTokens - cachedTokens }
    public var rejectedTokens: Int { draftedTokens - acceptedTokens }
    public var timeToFirstToken: Double { max(0, firstTokenTime - startTime) }
    public var totalSeconds: Double { max(0, endTime - startTime) }

    /// Decode speed after the first token (the figure llama.cpp's `tg` reports).
    public var tokensPerSecond: Double {
        let decodeTime = endTime - firstTokenTime
        guard generatedTokens > 1, decodeTime > 0 else { return 0 }
        return Double(generatedTokens - 1) / decodeTime
    }

    /// Prompt processing speed.
    public var promptTokensPerSecond: Double {
        let t = timeToFirstToken
        guard prefilledTokens > 0, t > 0 else { return 0 }
        return Double(prefilledTokens) / t
    }

    public var acceptanceRate: Double {
        draftedTokens > 0 ? Double(acceptedTokens) / Double(draftedTokens) : 0
    }

    /// The q-quantile (0...1) of inter-token latency, nearest-rank.
    public func interTokenLatency(quantile q: Double) -> Double {
        guard !interTokenLatencies.isEmpty else { return 0 }
        let sorted = interTokenLatencies.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
