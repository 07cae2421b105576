// The call tree of a chat session as it grows: calls start (running), stream tokens, and finish as ledger
// records; the view nests them by parent and rolls token counts up, for the TUI's call tree pane.
import Foundation
import Ledger
import TUI

/// Calls of the session, running and finished, by id.
struct LiveCallTree: Sendable {
    struct Node: Sendable, Equatable {
        var id: String
        var parentID: String?
        var title: String
        var status: CallStatus
        /// This call's own tokens (prompt + generated; streamed so far while running).
        var tokens: Int
        var startedAt: Date
        /// Wall seconds, once finished.
        var seconds: Double?
        var details: [CallDetail]
    }

    private(set) var nodes: [String: Node] = [:]
    /// Ids in the order calls started (siblings are shown in this order).
    private(set) var order: [String] = []

    var isEmpty: Bool { nodes.isEmpty }

    /// A call starts.
    mutating func start(id: String, parentID: String?, title: String, startedAt: Date = Date(),
                        details: [CallDetail] = []) {
        if nodes[id] == nil { order.append(id) }
        nodes[id] = Node(id: id, parentID: parentID, title: title, status: .running, tokens: 0,
                         startedAt: startedAt, seconds: nil, details: details)
    }

    /// A running call produced `count` more tokens.
    mutating func addTokens(_ count: Int, to id: String) {
        nodes[id]?.tokens += count
    }

    /// A call ended with `record`; a call never seen starting (one read back from the ledger) is added.
    /// - Parameter extra: details shown after the record's own (a model call's reply).
    mutating func finish(_ record: CallRecord, title: String? = nil, extra: [CallDetail] = []) {
        let existing = nodes[record.id]
        if existing == nil { order.append(record.id) }
        nodes[record.id] = Node(
            id: record.id, parentID: record.parentID,
            title: title ?? existing?.title ?? Self.title(of: record), status: Self.status(of: record.outcome),
            tokens: record.tokens.prompt + record.tokens.generated, startedAt: record.startedAt,
            seconds: record.wallSeconds, details: extra + CallDisplay.details(of: record))
    }

    mutating func removeAll() {
        nodes = [:]
        order = []
    }

    /// The tree as the pane shows it: roots in start order, each node's tokens including its descendants';
    /// running calls count their seconds up to `now`.
    func views(now: Date = Date()) -> [CallNodeView] {
        var children: [String: [String]] = [:]
        var roots: [String] = []
        for id in order {
            guard let node = nodes[id] else { continue }
            if let parent = node.parentID, nodes[parent] != nil {
                children[parent, default: []].append(id)
            } else {
                roots.append(id)
            }
        }
        func view(_ id: String, depth: Int) -> CallNodeView? {
            guard let node = nodes[id], depth < 64 else { return nil }
            let kids = (children[id] ?? []).compactMap { view($0, depth: depth + 1) }
            return CallNodeView(
                id: node.id, title: node.title, status: node.status,
                tokens: node.tokens + kids.reduce(0) { $0 + $1.tokens },
                seconds: node.seconds ?? max(0, now.timeIntervalSince(node.startedAt)),
                children: kids, expanded: true, details: node.details)
        }
        return roots.compactMap { view($0, depth: 0) }
    }

    static func status(of outcome: CallRecord.Outcome) -> CallStatus {
        switch outcome {
        case .ok: return .done
        case .error, .budget: return .failed
        case .cancelled: return .cancelled
        }
    }

    /// A title for a call known only from its record.
    static func title(of record: CallRecord) -> String {
        switch record.kind {
        case .model: return "reply · " + (record.model ?? "model")
        case .tool: return record.tool ?? "tool"
        case .agent: return "agent " + (record.agent ?? "?")
        case .scriptStep: return "step " + (record.agent ?? "?")
        }
    }
}
