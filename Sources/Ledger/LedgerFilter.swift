// Which calls a query is about: by run, session, agent, model, tool, kind, outcome and start time.
// The same filter runs as SQL in the store and as a predicate over records already in memory (the TUI's live view).
import Foundation

/// A conjunction of conditions on call records; a nil field places no condition.
public struct LedgerFilter: Hashable, Sendable {
    public var runID: String?
    public var sessionID: String?
    public var agent: String?
    public var model: String?
    public var tool: String?
    /// Any of these kinds; nil for all kinds.
    public var kinds: Set<CallRecord.Kind>?
    /// Any of these outcomes; nil for all outcomes.
    public var outcomes: Set<CallRecord.Outcome>?
    /// Calls that started at or after this time (inclusive), to the millisecond.
    public var since: Date?
    /// Calls that started before this time (exclusive), to the millisecond.
    public var until: Date?
    /// Keep only the `latest` most recently started matching calls (they are still returned oldest first).
    public var latest: Int?

    public init(runID: String? = nil, sessionID: String? = nil, agent: String? = nil, model: String? = nil,
                tool: String? = nil, kinds: Set<CallRecord.Kind>? = nil, outcomes: Set<CallRecord.Outcome>? = nil,
                since: Date? = nil, until: Date? = nil, latest: Int? = nil) {
        self.runID = runID
        self.sessionID = sessionID
        self.agent = agent
        self.model = model
        self.tool = tool
        self.kinds = kinds
        self.outcomes = outcomes
        self.since = since
        self.until = until
        self.latest = latest
    }

    /// Every call.
    public static let all = LedgerFilter()

    /// Whether `record` meets every condition except `latest` (which needs the whole set to decide).
    public func matches(_ record: CallRecord) -> Bool {
        if let runID, record.runID != runID { return false }
        if let sessionID, record.sessionID != sessionID { return false }
        if let agent, record.agent != agent { return false }
        if let model, record.model != model { return false }
        if let tool, record.tool != tool { return false }
        if let kinds, !kinds.contains(record.kind) { return false }
        if let outcomes, !outcomes.contains(record.outcome) { return false }
        if let since, record.startMilliseconds < Timestamp.milliseconds(since) { return false }
        if let until, record.startMilliseconds >= Timestamp.milliseconds(until) { return false }
        return true
    }

    /// The records of `records` (in chronological order) this filter selects, `latest` included.
    public func apply(to records: [CallRecord]) -> [CallRecord] {
        let matching = records.filter(matches)
        guard let latest else { return matching }
        return Array(matching.suffix(max(0, latest)))
    }
}
