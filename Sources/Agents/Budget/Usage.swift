// What a run, or one part of it, has spent: model calls, tokens and money. Integers only, so sums are exact.
import Ledger

/// Spending counted against a budget. Added up with `+` from calls to runs, and from sub-agents to parents.
public struct Usage: Sendable, Equatable, AdditiveArithmetic {
    /// Model calls made (a step is one model call).
    public var steps: Int
    /// Tool calls made.
    public var toolCalls: Int
    /// Tokens by kind, summed over the model calls.
    public var tokens: TokenCounts
    /// Money actually spent: compute seconds × machine price for local models, list price for remote ones.
    public var cost: Cost
    /// What the same tokens would have cost on the comparison cloud model (zero when unpriced).
    public var cloudCost: Cost

    public init(steps: Int = 0, toolCalls: Int = 0, tokens: TokenCounts = .zero, cost: Cost = .zero,
                cloudCost: Cost = .zero) {
        self.steps = steps
        self.toolCalls = toolCalls
        self.tokens = tokens
        self.cost = cost
        self.cloudCost = cloudCost
    }

    public static let zero = Usage()

    /// Tokens as a token budget counts them: every prompt token read (cached or not) plus every token generated,
    /// the way a hosted provider bills.
    public var totalTokens: Int { tokens.prompt + tokens.generated }

    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(steps: lhs.steps + rhs.steps, toolCalls: lhs.toolCalls + rhs.toolCalls, tokens: lhs.tokens + rhs.tokens,
              cost: lhs.cost + rhs.cost, cloudCost: lhs.cloudCost + rhs.cloudCost)
    }

    public static func - (lhs: Usage, rhs: Usage) -> Usage {
        Usage(steps: lhs.steps - rhs.steps, toolCalls: lhs.toolCalls - rhs.toolCalls, tokens: lhs.tokens - rhs.tokens,
              cost: lhs.cost - rhs.cost, cloudCost: lhs.cloudCost - rhs.cloudCost)
    }
}
