// Reading the ledger: filtered records, call trees, totals (summed by SQLite) and exports.
// Filters become parameterised SQL over the indexed columns; nothing user-given is spliced into the text.
import Foundation
internal import GRDB

extension LedgerStore {
    /// The calls that match `filter`, oldest first.
    public func records(matching filter: LedgerFilter = .all) throws(LedgerError) -> [CallRecord] {
        let (selection, arguments) = Self.selection(filter)
        let path = self.path
        return try perform {
            try readPool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM (\(selection)) ORDER BY started_ms, seq", arguments: arguments)
                    .map { row throws(LedgerError) in try CallRecord(row: row, path: path) }
            }
        }
    }

    /// The call trees of one run, roots oldest first; see `LedgerQuery.trees(of:)` for calls whose parent is absent.
    public func tree(run runID: String) throws(LedgerError) -> [CallTreeNode] {
        LedgerQuery.trees(of: try records(matching: LedgerFilter(runID: runID)))
    }

    /// Totals of the calls that match `filter`, summed by SQLite.
    public func total(matching filter: LedgerFilter = .all) throws(LedgerError) -> CallTotals {
        try totals(matching: filter, groupColumn: nil).first?.totals ?? .zero
    }

    /// Totals of the calls that match `filter`, per run, session, model … (the nil key first, then by key).
    public func totals(matching filter: LedgerFilter = .all, by grouping: LedgerGrouping) throws(LedgerError)
        -> [GroupTotals]
    {
        try totals(matching: filter, groupColumn: grouping.column)
    }

    /// The calls that match `filter`, exported as text.
    public func export(matching filter: LedgerFilter = .all, format: ExportFormat) throws(LedgerError) -> String {
        try LedgerExport.string(try records(matching: filter), format: format)
    }

    /// The calls that match `filter`, exported to an open file (or standard output).
    public func export(matching filter: LedgerFilter = .all, format: ExportFormat, to handle: FileHandle,
                       destination: String = "the output") throws(LedgerError) {
        try LedgerExport.write(try records(matching: filter), format: format, to: handle, destination: destination)
    }

    private func totals(matching filter: LedgerFilter, groupColumn: String?) throws(LedgerError) -> [GroupTotals] {
        let (selection, arguments) = Self.selection(filter)
        let key = groupColumn ?? "NULL"
        let sql = """
            SELECT \(key) AS group_key, COUNT(*) AS calls,
                   COALESCE(SUM(outcome <> 'ok'), 0) AS failures,
                   COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(cached_tokens), 0) AS cached,
                   COALESCE(SUM(generated_tokens), 0) AS generated, COALESCE(SUM(drafted_tokens), 0) AS drafted,
                   COALESCE(SUM(accepted_tokens), 0) AS accepted, COALESCE(SUM(rejected_tokens), 0) AS rejected,
                   COALESCE(SUM(compute_us), 0) AS compute_us, COALESCE(SUM(local_cost_nusd), 0) AS local,
                   COALESCE(SUM(cloud_cost_nusd), 0) AS cloud
            FROM (\(selection)) \(groupColumn == nil ? "" : "GROUP BY group_key")
            """
        let groups = try perform {
            try readPool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row throws -> GroupTotals? in
                    let calls: Int = try row.decode(forColumn: "calls")
                    if calls == 0 { return nil }  // an aggregate without GROUP BY yields one row even for no calls
                    let tokens = TokenCounts(
                        prompt: try row.decode(forColumn: "prompt"), cached: try row.decode(forColumn: "cached"),
                        generated: try row.decode(forColumn: "generated"), drafted: try row.decode(forColumn: "drafted"),
                        accepted: try row.decode(forColumn: "accepted"), rejected: try row.decode(forColumn: "rejected"))
                    let totals = CallTotals(
                        calls: calls, failures: try row.decode(forColumn: "failures"), tokens: tokens,
                        computeMicroseconds: try row.decode(forColumn: "compute_us"),
                        localCost: Cost(nanodollars: try row.decode(forColumn: "local")),
                        cloudCost: Cost(nanodollars: try row.decode(forColumn: "cloud")))
                    return GroupTotals(key: try row.decode(forColumn: "group_key"), totals: totals)
                }
            }
        }
        return groups.sorted(by: GroupTotals.precedes)
    }

    /// A sub-select of the matching `calls` rows with their insertion order as `seq`, honouring `latest`.
    static func selection(_ filter: LedgerFilter) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func equal(_ column: String, _ value: String?) {
            guard let value else { return }
            conditions.append("\(column) = ?")
            arguments.append(value)
        }
        equal("run_id", filter.runID)
        equal("session_id", filter.sessionID)
        equal("agent", filter.agent)
        equal("model", filter.model)
        equal("tool", filter.tool)
        if let kinds = filter.kinds {
            conditions.append("kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))")
            arguments.append(contentsOf: kinds.map(\.rawValue).sorted())
            if kinds.isEmpty { conditions[conditions.count - 1] = "0" }
        }
        if let outcomes = filter.outcomes {
            conditions.append("outcome IN (\(outcomes.map { _ in "?" }.joined(separator: ", ")))")
            arguments.append(contentsOf: outcomes.map(\.rawValue).sorted())
            if outcomes.isEmpty { conditions[conditions.count - 1] = "0" }
        }
        if let since = filter.since {
            conditions.append("started_ms >= ?")
            arguments.append(Timestamp.milliseconds(since))
        }
        if let until = filter.until {
            conditions.append("started_ms < ?")
            arguments.append(Timestamp.milliseconds(until))
        }
        var sql = "SELECT rowid AS seq, * FROM calls"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if let latest = filter.latest {
            sql += " ORDER BY started_ms DESC, seq DESC LIMIT ?"
            arguments.append(max(0, latest))
        }
        return (sql, StatementArguments(arguments))
    }
}
