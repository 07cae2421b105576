// Display model of spending: tokens by kind and dollars per call, with session totals and the budget.

/// The token and dollar cost of one call.
public struct CallCost: Hashable, Sendable {
    public var label: String
    public var prompt: Int
    public var cached: Int
    public var generated: Int
    public var drafted: Int
    public var accepted: Int
    /// What the call cost on this machine (energy/amortised hardware).
    public var localDollars: Double
    /// What the same tokens would cost at a cloud provider's list price.
    public var cloudDollars: Double
    /// What the call would have cost on this machine running alone (calls one after another); batched calls
    /// share forward passes and are charged only their share, so this is at least `localDollars`.
    public var sequentialDollars: Double

    public init(
        label: String, prompt: Int = 0, cached: Int = 0, generated: Int = 0, drafted: Int = 0, accepted: Int = 0,
        localDollars: Double = 0, cloudDollars: Double = 0, sequentialDollars: Double? = nil
    ) {
        self.sequentialDollars = max(sequentialDollars ?? localDollars, localDollars)
        self.label = label
        self.prompt = prompt
        self.cached = cached
        self.generated = generated
        self.drafted = drafted
        self.accepted = accepted
        self.localDollars = localDollars
        self.cloudDollars = cloudDollars
    }
}

/// The session budget and how much of it is used.
public struct BudgetView: Hashable, Sendable {
    /// How the limit reads ("$0.50", "20k tokens").
    public var label: String
    public var used: Double
    public var limit: Double
    public init(label: String, used: Double, limit: Double) {
        self.label = label
        self.used = used
        self.limit = limit
    }
    /// Fraction used, 0 when there is no limit.
    public var fraction: Double { limit > 0 ? max(0, used / limit) : 0 }
}

/// Costs of the session's calls.
public struct CostSnapshot: Hashable, Sendable {
    public var calls: [CallCost]
    public var budget: BudgetView?

    public init(calls: [CallCost] = [], budget: BudgetView? = nil) {
        self.calls = calls
        self.budget = budget
    }

    /// Sum of every call: the session totals.
    public var totals: CallCost {
        calls.reduce(into: CallCost(label: "total")) { t, c in
            t.prompt += c.prompt
            t.cached += c.cached
            t.generated += c.generated
            t.drafted += c.drafted
            t.accepted += c.accepted
            t.localDollars += c.localDollars
            t.cloudDollars += c.cloudDollars
            t.sequentialDollars += c.sequentialDollars
        }
    }
}
