// Display model of speed: per-call latency figures over recent calls, drawn as numbers and sparklines.

/// Timing of one call.
public struct CallLatency: Hashable, Sendable {
    /// Time to first token, seconds.
    public var ttft: Double
    public var tokensPerSecond: Double
    /// Inter-token latency percentiles, seconds.
    public var itlP50: Double
    public var itlP95: Double
    /// Speculative acceptance rate 0...1, nil when the call did not speculate.
    public var acceptanceRate: Double?
    /// Mean number of sequences that shared the call's forward passes (1 when it ran alone).
    public var batchSize: Double
    /// The call's share of those passes' compute time, 0...1 (what its local cost is charged on).
    public var computeShare: Double

    public init(ttft: Double, tokensPerSecond: Double, itlP50: Double, itlP95: Double, acceptanceRate: Double? = nil,
                batchSize: Double = 1, computeShare: Double = 1) {
        self.batchSize = batchSize
        self.computeShare = computeShare
        self.ttft = ttft
        self.tokensPerSecond = tokensPerSecond
        self.itlP50 = itlP50
        self.itlP95 = itlP95
        self.acceptanceRate = acceptanceRate
    }
}

/// Latency of recent calls, oldest first.
public struct LatencySnapshot: Hashable, Sendable {
    public var recent: [CallLatency]
    public init(recent: [CallLatency] = []) { self.recent = recent }
}
