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

    public init(ttft: Double, tokensPerSecond: Double, itlP50: Double, itlP95: Double, acceptanceRate: Double? = nil) {
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
