// The sum of a set of calls: how many, their tokens, compute time and costs.
// Integers throughout (tokens, microseconds, nanodollars), so any grouping of the same calls gives the same sum.

/// Totals over a set of calls — a subtree, a run, a session, a model.
public struct CallTotals: Hashable, Sendable, AdditiveArithmetic, Codable {
    /// Number of calls.
    public var calls: Int
    /// Calls whose outcome was not `ok`.
    public var failures: Int
    public var tokens: TokenCounts
    var computeMicroseconds: Int64
    /// Sum of local costs.
    public var localCost: Cost
    /// Sum of cloud-equivalent costs of the calls that were priced.
    public var cloudCost: Cost

    public init() {
        calls = 0
        failures = 0
        tokens = .zero
        computeMicroseconds = 0
        localCost = .zero
        cloudCost = .zero
    }

    /// The totals of one call alone.
    public init(_ record: CallRecord) {
        calls = 1
        failures = record.outcome == .ok ? 0 : 1
        tokens = record.tokens
        computeMicroseconds = record.computeMicros
        localCost = record.localCost
        cloudCost = record.cloudCost ?? .zero
    }

    init(calls: Int, failures: Int, tokens: TokenCounts, computeMicroseconds: Int64, localCost: Cost,
         cloudCost: Cost) {
        self.calls = calls
        self.failures = failures
        self.tokens = tokens
        self.computeMicroseconds = computeMicroseconds
        self.localCost = localCost
        self.cloudCost = cloudCost
    }

    public static let zero = CallTotals()

    /// Sum of compute seconds (exact to the microsecond).
    public var computeSeconds: Double { Double(computeMicroseconds) / 1e6 }

    /// Cloud-equivalent cost minus local cost: what running locally saved (negative when it cost more).
    public var savings: Cost { cloudCost - localCost }

    public static func + (lhs: CallTotals, rhs: CallTotals) -> CallTotals {
        CallTotals(calls: lhs.calls.saturatingAdd(rhs.calls), failures: lhs.failures.saturatingAdd(rhs.failures),
                   tokens: lhs.tokens + rhs.tokens,
                   computeMicroseconds: lhs.computeMicroseconds.saturatingAdd(rhs.computeMicroseconds),
                   localCost: lhs.localCost + rhs.localCost, cloudCost: lhs.cloudCost + rhs.cloudCost)
    }

    public static func - (lhs: CallTotals, rhs: CallTotals) -> CallTotals {
        CallTotals(calls: lhs.calls.saturatingAdd(rhs.calls.saturatingNegated),
                   failures: lhs.failures.saturatingAdd(rhs.failures.saturatingNegated),
                   tokens: lhs.tokens - rhs.tokens,
                   computeMicroseconds: lhs.computeMicroseconds.saturatingAdd(rhs.computeMicroseconds.saturatingNegated),
                   localCost: lhs.localCost - rhs.localCost, cloudCost: lhs.cloudCost - rhs.cloudCost)
    }

    enum CodingKeys: String, CodingKey {
        case calls, failures, tokens, computeSeconds = "compute_seconds", localCost = "local_cost_usd"
        case cloudCost = "cloud_cost_usd"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(calls: try c.decode(Int.self, forKey: .calls), failures: try c.decode(Int.self, forKey: .failures),
                  tokens: try c.decode(TokenCounts.self, forKey: .tokens),
                  computeMicroseconds: CallRecord.microseconds(try c.decode(Double.self, forKey: .computeSeconds)),
                  localCost: try c.decode(Cost.self, forKey: .localCost),
                  cloudCost: try c.decode(Cost.self, forKey: .cloudCost))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(calls, forKey: .calls)
        try c.encode(failures, forKey: .failures)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(computeSeconds, forKey: .computeSeconds)
        try c.encode(localCost, forKey: .localCost)
        try c.encode(cloudCost, forKey: .cloudCost)
    }
}
