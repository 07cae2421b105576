// Call records as JSON Lines or CSV (RFC 4180), to a String or streamed to a file handle.
// Both forms carry every field; CSV flattens tokens into columns and writes money as exact decimals.
import Foundation

/// The export formats `tokenworks log --export` offers.
public enum ExportFormat: String, Hashable, Sendable, CaseIterable {
    /// One JSON object per line, keys sorted, times in UTC ISO 8601.
    case jsonl
    /// RFC 4180: a header row, CRLF line ends, fields with commas, quotes or line breaks quoted.
    case csv
}

/// Writes call records in an export format.
public enum LedgerExport {
    /// The CSV header, in column order.
    public static let csvColumns = [
        "id", "parent_id", "run_id", "session_id", "kind", "agent", "model", "tool", "started_at", "ended_at",
        "prompt_tokens", "cached_tokens", "generated_tokens", "drafted_tokens", "accepted_tokens",
        "rejected_tokens", "mean_batch_size", "compute_share", "ttft_seconds", "tokens_per_second",
        "compute_seconds", "local_cost_usd", "cloud_cost_usd", "cloud_model", "outcome", "error", "details",
    ]

    /// The whole export as text.
    public static func string(_ records: [CallRecord], format: ExportFormat) throws(LedgerError) -> String {
        var text = ""
        try produce(records, format: format) { chunk in text += chunk }
        return text
    }

    /// Streams the export to `handle` in chunks, so a large ledger is never held twice in memory.
    public static func write(_ records: [CallRecord], format: ExportFormat, to handle: FileHandle,
                             destination: String = "the output") throws(LedgerError) {
        var buffer = ""
        func flush() throws(LedgerError) {
            guard !buffer.isEmpty else { return }
            do {
                try handle.write(contentsOf: Data(buffer.utf8))
            } catch {
                throw LedgerError.exportFailed(destination: destination, reason: LedgerError.reason(of: error))
            }
            buffer.removeAll(keepingCapacity: true)
        }
        try produce(records, format: format) { (chunk: String) throws(LedgerError) in
            buffer += chunk
            if buffer.utf8.count >= 64 * 1024 { try flush() }
        }
        try flush()
    }

    /// Calls `emit` with the header (CSV) and then one line per record.
    private static func produce(_ records: [CallRecord], format: ExportFormat,
                                emit: (String) throws(LedgerError) -> Void) throws(LedgerError) {
        switch format {
        case .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for record in records {
                do {
                    try emit(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n")
                } catch let error as LedgerError {
                    throw error
                } catch {
                    throw LedgerError.exportFailed(destination: "JSON", reason: "call \(record.id): \(error)")
                }
            }
        case .csv:
            try emit(csvLine(csvColumns))
            for record in records { try emit(csvLine(try csvFields(record))) }
        }
    }

    /// One CSV line: fields joined by commas, ended by CRLF.
    static func csvLine(_ fields: [String]) -> String {
        fields.map(csvQuoted).joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 §2.6–2.7: a field containing a comma, a double quote, CR or LF is enclosed in double quotes and
    /// its double quotes are doubled; other fields are written as they are.
    public static func csvQuoted(_ field: String) -> String {
        let special = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"")
            || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard special else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func csvFields(_ r: CallRecord) throws(LedgerError) -> [String] {
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        var details = ""
        if let value = r.details {
            do {
                details = String(decoding: try CallRecord.detailsEncoder.encode(value), as: UTF8.self)
            } catch {
                throw LedgerError.exportFailed(destination: "CSV", reason: "details of call \(r.id): \(error)")
            }
        }
        let micros = r.computeMicros
        let compute = "\(micros / 1_000_000)." + pad(micros % 1_000_000, 6)
        return [
            r.id, r.parentID ?? "", r.runID, r.sessionID ?? "", r.kind.rawValue, r.agent ?? "", r.model ?? "",
            r.tool ?? "", Timestamp.iso8601(milliseconds: r.startMilliseconds),
            Timestamp.iso8601(milliseconds: r.endMilliseconds), "\(r.tokens.prompt)", "\(r.tokens.cached)",
            "\(r.tokens.generated)", "\(r.tokens.drafted)", "\(r.tokens.accepted)", "\(r.tokens.rejected)",
            number(r.meanBatchSize), number(r.computeShare), number(r.timeToFirstToken), number(r.tokensPerSecond),
            micros < 0 ? "\(r.computeSeconds)" : compute, r.localCost.exactDecimalString,
            r.cloudCost?.exactDecimalString ?? "", r.cloudModel ?? "", r.outcome.rawValue, r.errorText ?? "",
            details,
        ]
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
