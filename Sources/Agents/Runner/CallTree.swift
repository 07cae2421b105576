// The live call tree of a run, built from the event stream: finished calls as ledger records (rolled up
// exactly by Ledger's tree code) plus the calls still running. What the TUI pane and `ask --json` show.
import Foundation
import Ledger

/// Calls of a run so far, with exact totals.
public struct CallTree: Sendable {
    /// A call that has started and not finished.
    public struct RunningCall: Sendable, Equatable {
        public var id: String
        public var parentID: String?
        public var kind: CallRecord.Kind
        /// Agent, model or tool name.
        public var name: String
        /// Tokens streamed so far (model calls).
        public var tokens: Int
    }

    /// Finished calls in the order they finished.
    public private(set) var records: [CallRecord] = []
    /// Calls in progress, by id.
    public private(set) var running: [String: RunningCall] = [:]

    public init() {}

    /// Folds one event into the tree.
    public mutating func apply(_ event: AgentEvent) {
        switch event {
        case .runStarted(let info):
            running[info.callID] = RunningCall(id: info.callID, parentID: info.parentCallID, kind: .agent,
                                               name: info.agent, tokens: 0)
        case .modelCallStarted(let info):
            running[info.callID] = RunningCall(id: info.callID, parentID: info.parentID, kind: .model,
                                               name: info.model, tokens: 0)
        case .token(let callID, _):
            running[callID]?.tokens += 1
        case .toolStarted(let info):
            running[info.callID] = RunningCall(id: info.callID, parentID: info.parentID, kind: .tool,
                                               name: info.tool, tokens: 0)
        case .modelCallFinished(let record, _), .toolFinished(let record, _):
            finish(record)
        case .runFinished(let result):
            finish(result.record)
        case .budgetWarning, .budgetExhausted, .notice:
            break
        }
    }

    private mutating func finish(_ record: CallRecord) {
        running[record.id] = nil
        records.append(record)
    }

    /// The finished calls as trees, oldest root first; a call whose parent is still running is a root until
    /// the parent finishes.
    public var roots: [CallTreeNode] {
        LedgerQuery.trees(of: records.sorted { ($0.startedAt, $0.endedAt) < ($1.startedAt, $1.endedAt) })
    }

    /// Totals over every finished call.
    public var totals: CallTotals { LedgerQuery.total(of: records) }

    /// An indented text drawing of the finished calls: one line per call with its own and subtree figures.
    public func render() -> String {
        var lines: [String] = []
        for root in roots {
            for (depth, node) in root.depthFirst() {
                lines.append(String(repeating: "  ", count: depth) + Self.line(for: node))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One call as a line: kind and name, outcome, wall time, subtree tokens and costs.
    public static func line(for node: CallTreeNode) -> String {
        let r = node.record
        let name: String
        switch r.kind {
        case .agent: name = "agent \(r.agent ?? "?")"
        case .model: name = "model \(r.model ?? "?")"
        case .tool: name = "tool \(r.tool ?? "?")"
        case .scriptStep: name = "step"
        }
        let t = node.totals.tokens
        var text = "\(name) [\(r.outcome.rawValue)] \(String(format: "%.2f", r.wallSeconds))s"
        text += " tokens \(t.prompt)+\(t.generated)"
        if t.cached > 0 { text += " (cached \(t.cached))" }
        text += " local \(node.totals.localCost)"
        if node.totals.cloudCost != .zero { text += " cloud \(node.totals.cloudCost)" }
        return text
    }
}
