// The session budget of `/budget`: a cap in dollars (what the calls cost on this machine) or in tokens (prompt
// plus generated, as a hosted provider bills), checked before each turn and handed down to agent runs.
import Agents
import Ledger
import TUI

/// A limit on what a whole chat session may spend.
enum SessionBudget: Equatable, Sendable {
    case dollars(Cost)
    case tokens(Int)

    /// "$0.50", "0.50$", "20k", "1.5M", "20000", "20k tokens".
    init(parsing text: String) throws(ChatError) {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("$") || t.hasSuffix("$") {
            t = t.replacingOccurrences(of: "$", with: "").trimmingCharacters(in: .whitespaces)
            guard let dollars = Double(t), dollars.isFinite, dollars > 0 else { throw .invalidBudget(text) }
            self = .dollars(Cost(dollars: dollars))
            return
        }
        for suffix in [" tokens", "tokens", " tok", "tok"] where t.hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        var scale = 1.0
        if t.hasSuffix("k") { scale = 1_000 } else if t.hasSuffix("m") { scale = 1_000_000 }
        if scale > 1 { t = String(t.dropLast()) }
        guard let amount = Double(t), amount.isFinite, amount >= 1 / scale, amount * scale < 1e15 else {
            throw .invalidBudget(text)
        }
        self = .tokens(Int((amount * scale).rounded()))
    }

    /// How the limit reads in the cost pane.
    var label: String {
        switch self {
        case .dollars(let cost): return cost.description
        case .tokens(let n): return Format.tokens(n) + " tokens"
        }
    }

    /// What counts against the limit in `spent`: local dollars, or prompt plus generated tokens.
    func used(_ spent: Usage) -> Double {
        switch self {
        case .dollars: return spent.cost.dollars
        case .tokens: return Double(spent.totalTokens)
        }
    }

    var limit: Double {
        switch self {
        case .dollars(let cost): return cost.dollars
        case .tokens(let n): return Double(n)
        }
    }

    func view(spent: Usage) -> BudgetView { BudgetView(label: label, used: used(spent), limit: limit) }

    /// A sentence when `spent` has reached the limit, nil while there is room.
    func exhaustion(spent: Usage) -> String? {
        guard used(spent) >= limit else { return nil }
        switch self {
        case .dollars(let cost): return "session budget spent: \(spent.cost) of \(cost)"
        case .tokens(let n): return "session budget spent: \(spent.totalTokens) of \(n) tokens"
        }
    }

    /// What an agent run may still spend: the rest of this budget, as an agent `Budget`.
    func remaining(spent: Usage) -> Budget {
        switch self {
        case .dollars(let cost): return Budget(maxCost: max(.zero, cost - spent.cost))
        case .tokens(let n): return Budget(maxTokens: max(0, n - spent.totalTokens))
        }
    }
}
