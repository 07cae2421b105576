// How totals are broken down (per run, session, model, agent, kind or outcome) and one group's totals.
// The same keys are used by SQL GROUP BY in the store and by the in-memory roll-up.

/// The field calls are grouped by when totals are asked for.
public enum LedgerGrouping: String, Hashable, Sendable, CaseIterable {
    case run, session, model, agent, tool, kind, outcome

    /// The group key of `record`; nil when the record has no value for the field (e.g. no session).
    public func key(of record: CallRecord) -> String? {
        switch self {
        case .run: return record.runID
        case .session: return record.sessionID
        case .model: return record.model
        case .agent: return record.agent
        case .tool: return record.tool
        case .kind: return record.kind.rawValue
        case .outcome: return record.outcome.rawValue
        }
    }

    /// The `calls` column holding the key.
    var column: String {
        switch self {
        case .run: return "run_id"
        case .session: return "session_id"
        case .model: return "model"
        case .agent: return "agent"
        case .tool: return "tool"
        case .kind: return "kind"
        case .outcome: return "outcome"
        }
    }
}

/// The totals of the calls sharing one key.
public struct GroupTotals: Hashable, Sendable {
    /// The key (a run id, a model name …); nil for the calls that have no value for the grouped field.
    public var key: String?
    public var totals: CallTotals

    public init(key: String?, totals: CallTotals) {
        self.key = key
        self.totals = totals
    }

    /// Order of groups everywhere: the nil key first, then keys by their UTF-8 bytes (as SQLite sorts text).
    static func precedes(_ lhs: GroupTotals, _ rhs: GroupTotals) -> Bool {
        switch (lhs.key, rhs.key) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let l?, let r?): return l.utf8.lexicographicallyPrecedes(r.utf8)
        }
    }
}
