// What batching saved a local model call: calls that shared forward passes with others are charged only their
// share of each pass, and the record keeps what the call would have needed alone to show the difference.

extension CallRecord {
    /// `details` key: estimated compute seconds the call would have needed running alone (batched local calls).
    public static let soloComputeKey = "solo_compute_s"

    /// Estimated compute seconds had the call run alone; its own compute seconds when not recorded.
    public var soloComputeSeconds: Double {
        if case .number(let seconds)? = details?[Self.soloComputeKey], seconds.isFinite, seconds >= computeSeconds {
            return seconds
        }
        return computeSeconds
    }

    /// What the call would have cost on this machine had it run alone, one call after another: the local cost
    /// (linear in compute seconds) scaled to `soloComputeSeconds`. Equals `localCost` for calls that ran alone.
    public var sequentialLocalCost: Cost {
        let compute = computeSeconds
        guard compute > 0 else { return localCost }
        return Cost(dollars: localCost.dollars * soloComputeSeconds / compute)
    }
}
