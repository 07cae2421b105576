// Maps a call record to and from a row of the `calls` table.
// Reading never traps: a value of the wrong type or an unknown enum case becomes a LedgerError naming the column.
import Foundation
internal import GRDB

extension CallRecord {
    /// Column names in the order `insertArguments` lists their values.
    static let columns = [
        "id", "parent_id", "run_id", "session_id", "kind", "agent", "model", "tool", "started_ms", "ended_ms",
        "prompt_tokens", "cached_tokens", "generated_tokens", "drafted_tokens", "accepted_tokens",
        "rejected_tokens", "mean_batch_size", "compute_share", "ttft_seconds", "tokens_per_second", "compute_us",
        "local_cost_nusd", "cloud_cost_nusd", "cloud_model", "outcome", "error_text", "details",
    ]

    static let insertSQL = "INSERT INTO calls (\(columns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"

    /// The values of `columns`, in order.
    func insertArguments() throws(LedgerError) -> StatementArguments {
        var detailsText: String?
        if let details {
            do {
                detailsText = String(decoding: try Self.detailsEncoder.encode(details), as: UTF8.self)
            } catch {
                throw LedgerError.invalidRecord(id: id, field: "details", problem: "cannot be written as JSON: \(error)")
            }
        }
        let values: [(any DatabaseValueConvertible)?] = [
            id, parentID, runID, sessionID, kind.rawValue, agent, model, tool, startMilliseconds, endMilliseconds,
            tokens.prompt, tokens.cached, tokens.generated, tokens.drafted, tokens.accepted, tokens.rejected,
            meanBatchSize, computeShare, timeToFirstToken, tokensPerSecond, computeMicros,
            localCost.nanodollars, cloudCost?.nanodollars, cloudModel, outcome.rawValue, errorText, detailsText,
        ]
        return StatementArguments(values)
    }

    /// Reads a row of `calls`; `path` names the ledger in errors.
    init(row: Row, path: String) throws(LedgerError) {
        let id = (try? row.decode(String.self, forColumn: "id")) ?? "(unreadable id)"
        func value<T: DatabaseValueConvertible>(_ column: String, _ type: T.Type) throws(LedgerError) -> T {
            do {
                return try row.decode(T.self, forColumn: column)
            } catch {
                throw LedgerError.invalidRow(path: path, id: id, column: column,
                                             detail: "expected \(T.self), found \(row[column] as DatabaseValue)")
            }
        }
        let kindText = try value("kind", String.self)
        guard let kind = Kind(rawValue: kindText) else {
            throw LedgerError.invalidRow(path: path, id: id, column: "kind", detail: "unknown kind '\(kindText)'")
        }
        let outcomeText = try value("outcome", String.self)
        guard let outcome = Outcome(rawValue: outcomeText) else {
            throw LedgerError.invalidRow(path: path, id: id, column: "outcome",
                                         detail: "unknown outcome '\(outcomeText)'")
        }
        var details: [String: JSONValue]?
        if let text = try value("details", String?.self) {
            do {
                details = try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
            } catch {
                throw LedgerError.invalidRow(path: path, id: id, column: "details", detail: "not a JSON object")
            }
        }
        let tokens = TokenCounts(
            prompt: try value("prompt_tokens", Int.self), cached: try value("cached_tokens", Int.self),
            generated: try value("generated_tokens", Int.self), drafted: try value("drafted_tokens", Int.self),
            accepted: try value("accepted_tokens", Int.self), rejected: try value("rejected_tokens", Int.self))
        self.init(
            id: try value("id", String.self), parentID: try value("parent_id", String?.self),
            runID: try value("run_id", String.self), sessionID: try value("session_id", String?.self),
            kind: kind, agent: try value("agent", String?.self), model: try value("model", String?.self),
            tool: try value("tool", String?.self), startMilliseconds: try value("started_ms", Int64.self),
            endMilliseconds: try value("ended_ms", Int64.self), tokens: tokens,
            meanBatchSize: try value("mean_batch_size", Double.self),
            computeShare: try value("compute_share", Double.self),
            timeToFirstToken: try value("ttft_seconds", Double?.self),
            tokensPerSecond: try value("tokens_per_second", Double?.self),
            computeMicros: try value("compute_us", Int64.self),
            localCost: Cost(nanodollars: try value("local_cost_nusd", Int64.self)),
            cloudCost: try value("cloud_cost_nusd", Int64?.self).map { Cost(nanodollars: $0) },
            cloudModel: try value("cloud_model", String?.self), outcome: outcome,
            errorText: try value("error_text", String?.self), details: details)
    }

    /// Sorted keys, so the stored text of equal details is equal.
    static var detailsEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
