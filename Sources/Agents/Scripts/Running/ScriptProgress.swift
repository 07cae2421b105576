// The live view of a script run on a terminal: one line per top-level step with its items, tokens, time and
// cost, folded from the event stream. `tokenworks run` redraws the running step's line in place on a TTY and
// prints plain start/end lines otherwise.
import Foundation
import Ledger

/// Per-step progress of a script run (the top script's steps; sub-scripts count toward their calling step).
public struct ScriptProgress: Sendable {
    /// One top-level step as the terminal shows it.
    public struct Step: Sendable, Equatable {
        public var name: String
        public var kind: String
        public var number: Int
        public var count: Int
        /// nil while running.
        public var status: ScriptStepStatus?
        public var items: Int?
        public var itemsDone = 0
        /// Prompt plus generated tokens of finished model calls, plus tokens streamed by running ones.
        public var tokens = 0
        /// Money spent by finished calls (local cost, as budgets count it for local models).
        public var cost = Cost.zero
        public var started: Date
        public var ended: Date?
        public var attempts = 0
        /// The error, or the reason of the last retry.
        public var note: String?
    }

    public private(set) var steps: [Step] = []
    /// Tokens streamed by model calls still running, by call id, and the step each belongs to.
    private var streaming: [String: (step: Int, tokens: Int)] = [:]

    public init() {}

    /// Folds one event in; returns the index of the step whose line changed, if any.
    @discardableResult
    public mutating func apply(_ event: ScriptEvent, now: Date = Date()) -> Int? {
        switch event {
        case .scriptStarted, .scriptFinished:
            return nil
        case .stepStarted(let info):
            guard info.path.count == 1 else { return index(of: info.path) }
            if info.item == nil {
                steps.append(Step(name: info.name, kind: info.kind, number: info.number, count: info.count,
                                  items: info.items, started: now))
                return steps.count - 1
            }
            return index(of: info.path)
        case .stepRetrying(let info, let attempt, let reason):
            guard let i = index(of: info.path) else { return nil }
            steps[i].attempts = max(steps[i].attempts, attempt)
            steps[i].note = "retrying (attempt \(attempt)): " + String(reason.prefix(120))
            return i
        case .stepFinished(let outcome):
            guard outcome.info.path.count == 1, let i = index(of: outcome.info.path) else {
                return index(of: outcome.info.path)
            }
            if outcome.info.item != nil {
                steps[i].itemsDone += 1
                return i
            }
            steps[i].status = outcome.status
            steps[i].ended = now
            steps[i].attempts = outcome.attempts
            steps[i].note = outcome.error?.description
            return i
        case .agent(let inner, let path):
            guard let i = index(of: path) else { return nil }
            switch inner {
            case .modelCallStarted(let info):
                streaming[info.callID] = (i, 0)
            case .token(let callID, _):
                streaming[callID]?.tokens += 1
            case .modelCallFinished(let record, _):
                streaming[record.id] = nil
                steps[i].tokens += record.tokens.prompt + record.tokens.generated
                steps[i].cost = steps[i].cost + record.localCost
            default:
                return nil
            }
            return i
        }
    }

    private func index(of path: [String]) -> Int? {
        guard let top = path.first else { return nil }
        return steps.lastIndex { $0.name == top }
    }

    /// Tokens of step `index`, running calls included.
    public func tokens(of index: Int) -> Int {
        steps[index].tokens + streaming.values.filter { $0.step == index }.reduce(0) { $0 + $1.tokens }
    }

    /// The line of step `index`: `✓ [2/3] summaries · 3 items · 812 tokens · 4.1 s · $0.000012`, with a status
    /// word in place of the symbol when `symbols` is false (plain output).
    public func line(_ index: Int, now: Date = Date(), symbols: Bool = true) -> String {
        let step = steps[index]
        let seconds = (step.ended ?? now).timeIntervalSince(step.started)
        var parts: [String] = []
        let mark: String
        switch step.status {
        case nil: mark = symbols ? "▸" : "running"
        case .ok?: mark = symbols ? "✓" : "ok"
        case .skipped?: mark = symbols ? "–" : "skipped"
        case .failed?: mark = symbols ? "✗" : "failed"
        case .budget?: mark = symbols ? "■" : "budget"
        case .cancelled?: mark = symbols ? "✗" : "cancelled"
        }
        parts.append((symbols ? mark + " " : "") + "[\(step.number)/\(step.count)] \(step.name)"
                     + (symbols ? "" : ": " + mark))
        if step.status == .skipped { return parts[0] + (symbols ? " · skipped (when: false)" : " (when: false)") }
        if let items = step.items {
            parts.append(step.status == nil ? "\(step.itemsDone)/\(items) items" : "\(items) items")
        }
        if step.attempts > 1 { parts.append("\(step.attempts) attempts") }
        parts.append("\(tokens(of: index)) tokens")
        parts.append(String(format: "%.1f s", seconds))
        parts.append("\(step.cost)")
        var text = parts.joined(separator: " · ")
        if let note = step.note, step.status != .ok { text += " — " + note }
        return text
    }
}
