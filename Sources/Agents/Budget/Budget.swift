// Limits on one run: steps, tokens, money, wall time and sub-agent depth. The runner checks them before every
// model call, while tokens stream, and around tool calls; a spent budget ends the run with a clear reason.
import Ledger

/// What one agent run may spend; nil means no limit of that kind.
///
/// A sub-agent runs under its own profile's budget bounded by what its parent has left (`bounded(by:)`), and
/// what it spends is charged to the parent, so no nesting of agents can spend more than the top-level budget.
public struct Budget: Sendable, Equatable {
    /// Model calls.
    public var maxSteps: Int?
    /// Prompt plus generated tokens over all model calls (see `Usage.totalTokens`).
    public var maxTokens: Int?
    /// Money spent (`Usage.cost`).
    public var maxCost: Cost?
    /// Wall-clock seconds from the start of the run.
    public var maxSeconds: Double?
    /// How many levels of sub-agents may be started below this agent (0: it may not delegate).
    public var maxDepth: Int?

    public init(maxSteps: Int? = nil, maxTokens: Int? = nil, maxCost: Cost? = nil, maxSeconds: Double? = nil,
                maxDepth: Int? = nil) {
        self.maxSteps = maxSteps
        self.maxTokens = maxTokens
        self.maxCost = maxCost
        self.maxSeconds = maxSeconds
        self.maxDepth = maxDepth
    }

    /// No limits at all.
    public static let unlimited = Budget()

    /// Each limit the smaller of this budget's and `other`'s.
    public func bounded(by other: Budget) -> Budget {
        func least<T: Comparable>(_ a: T?, _ b: T?) -> T? {
            switch (a, b) {
            case (nil, _): return b
            case (_, nil): return a
            case (let x?, let y?): return min(x, y)
            }
        }
        return Budget(maxSteps: least(maxSteps, other.maxSteps), maxTokens: least(maxTokens, other.maxTokens),
                      maxCost: least(maxCost, other.maxCost), maxSeconds: least(maxSeconds, other.maxSeconds),
                      maxDepth: least(maxDepth, other.maxDepth))
    }

    /// What is left after `usage` and `elapsed` seconds; amounts never go below zero. Depth is unchanged.
    public func remaining(after usage: Usage, elapsed: Double) -> Budget {
        Budget(maxSteps: maxSteps.map { max(0, $0 - usage.steps) },
               maxTokens: maxTokens.map { max(0, $0 - usage.totalTokens) },
               maxCost: maxCost.map { max(.zero, $0 - usage.cost) },
               maxSeconds: maxSeconds.map { max(0, $0 - elapsed) },
               maxDepth: maxDepth)
    }

    /// One of `count` calls running at the same time: tokens and money divided evenly, so together they stay
    /// within this budget. Steps guard each loop rather than measure a resource, and time is wall clock shared by
    /// all, so those and depth are unchanged.
    public func split(among count: Int) -> Budget {
        guard count > 1 else { return self }
        var share = self
        share.maxTokens = maxTokens.map { $0 / count }
        share.maxCost = maxCost.map { Cost(nanodollars: $0.nanodollars / Int64(count)) }
        return share
    }

    /// Whether this agent may start a sub-agent (its depth allowance is not used up).
    public var allowsDelegation: Bool { (maxDepth ?? 1) > 0 }

    /// The bound a sub-agent one level down runs under: this budget with one level of depth used.
    public func forChild() -> Budget {
        var child = self
        child.maxDepth = maxDepth.map { max(0, $0 - 1) }
        return child
    }

    /// The first limit `usage` has reached after `elapsed` seconds, or nil. Depth is checked when delegating.
    public func exhaustion(of usage: Usage, elapsed: Double) -> BudgetExhaustion? {
        if let maxSteps, usage.steps >= maxSteps {
            return BudgetExhaustion(kind: .steps, used: Double(usage.steps), limit: Double(maxSteps))
        }
        if let maxTokens, usage.totalTokens >= maxTokens {
            return BudgetExhaustion(kind: .tokens, used: Double(usage.totalTokens), limit: Double(maxTokens))
        }
        if let maxCost, usage.cost >= maxCost {
            return BudgetExhaustion(kind: .cost, used: usage.cost.dollars, limit: maxCost.dollars)
        }
        if let maxSeconds, elapsed >= maxSeconds {
            return BudgetExhaustion(kind: .time, used: elapsed, limit: maxSeconds)
        }
        return nil
    }

    /// Each kind whose use has passed `fraction` of its limit (for budget warnings).
    public func kinds(above fraction: Double, usage: Usage, elapsed: Double) -> [BudgetExhaustion] {
        var result: [BudgetExhaustion] = []
        func check(_ kind: BudgetKind, _ used: Double, _ limit: Double?) {
            if let limit, limit > 0, used >= fraction * limit {
                result.append(BudgetExhaustion(kind: kind, used: used, limit: limit))
            }
        }
        check(.steps, Double(usage.steps), maxSteps.map(Double.init))
        check(.tokens, Double(usage.totalTokens), maxTokens.map(Double.init))
        check(.cost, usage.cost.dollars, maxCost?.dollars)
        check(.time, elapsed, maxSeconds)
        return result
    }
}

/// The kinds of limit a budget has.
public enum BudgetKind: String, Sendable, Equatable, CaseIterable {
    case steps, tokens, cost, time, depth
}

/// A limit reached (or nearly reached, in a warning): which, how much was used, and the limit.
public struct BudgetExhaustion: Sendable, Equatable, CustomStringConvertible {
    public var kind: BudgetKind
    public var used: Double
    public var limit: Double

    public init(kind: BudgetKind, used: Double, limit: Double) {
        self.kind = kind
        self.used = used
        self.limit = limit
    }

    public var description: String {
        switch kind {
        case .steps: return "step budget spent: \(Int(used)) of \(Int(limit)) model calls"
        case .tokens: return "token budget spent: \(Int(used)) of \(Int(limit)) tokens"
        case .cost: return "cost budget spent: \(Cost(dollars: used)) of \(Cost(dollars: limit))"
        case .time:
            return "time budget spent: \(formatSeconds((used * 10).rounded() / 10)) of \(formatSeconds(limit)) seconds"
        case .depth: return "depth budget spent: sub-agents may nest at most \(Int(limit)) levels"
        }
    }
}
