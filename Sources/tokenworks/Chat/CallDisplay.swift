// How a ledger record appears in the panes: the cost row, the latency sample and the details of the selected
// call. Every figure shown comes from the record itself, so the panes always equal what `tokenworks log` reads.
import Agents
import Foundation
import Inference
import Ledger
import TUI

/// Maps finished calls (ledger records) onto the TUI's display models.
enum CallDisplay {
    /// Keys under which a model call's inter-token latency percentiles are kept in `CallRecord.details`.
    static let itlP50Key = "itl_p50_ms"
    static let itlP95Key = "itl_p95_ms"

    /// The cost pane's row for a model call.
    static func cost(of record: CallRecord, label: String) -> CallCost {
        CallCost(label: label, prompt: record.tokens.prompt, cached: record.tokens.cached,
                 generated: record.tokens.generated, drafted: record.tokens.drafted, accepted: record.tokens.accepted,
                 localDollars: record.localCost.dollars, cloudDollars: record.cloudCost?.dollars ?? 0,
                 sequentialDollars: record.sequentialLocalCost.dollars)
    }

    /// The latency pane's sample for a model call.
    static func latency(of record: CallRecord) -> CallLatency {
        CallLatency(ttft: record.timeToFirstToken ?? 0, tokensPerSecond: record.tokensPerSecond ?? 0,
                    itlP50: milliseconds(record, itlP50Key) / 1000, itlP95: milliseconds(record, itlP95Key) / 1000,
                    acceptanceRate: record.tokens.acceptanceRate, batchSize: max(1, record.meanBatchSize),
                    computeShare: record.computeShare)
    }

    private static func milliseconds(_ record: CallRecord, _ key: String) -> Double {
        if case .number(let value)? = record.details?[key], value.isFinite, value >= 0 { return value }
        return 0
    }

    /// The cost and latency panes for a session's model calls, oldest first (labels #1, #2, …).
    static func panes(records: [CallRecord], budget: SessionBudget?, spent: Usage) -> (CostSnapshot, LatencySnapshot) {
        let calls = records.filter { $0.kind == .model }
        let costs = CostSnapshot(calls: calls.enumerated().map { Self.cost(of: $1, label: "#\($0 + 1)") },
                                 budget: budget?.view(spent: spent))
        return (costs, LatencySnapshot(recent: calls.suffix(recentCalls).map { Self.latency(of: $0) }))
    }

    /// How many calls the latency sparklines cover.
    static let recentCalls = 40

    /// Label/value pairs for the call tree's detail view.
    static func details(of record: CallRecord) -> [CallDetail] {
        var out: [CallDetail] = []
        switch record.kind {
        case .model, .agent:
            if let model = record.model { out.append(CallDetail("model", model)) }
        case .tool:
            if let tool = record.tool { out.append(CallDetail("tool", tool)) }
            if case .string(let arguments)? = record.details?["arguments"] { out.append(CallDetail("args", arguments)) }
        case .scriptStep:
            break
        }
        if record.kind == .model {
            let t = record.tokens
            out.append(CallDetail("tokens", "\(t.prompt) in (\(t.cached) cached), \(t.generated) out"))
            if t.drafted > 0 { out.append(CallDetail("spec", "\(t.accepted)/\(t.drafted) accepted")) }
            if let ttft = record.timeToFirstToken { out.append(CallDetail("TTFT", Format.milliseconds(ttft))) }
            if let speed = record.tokensPerSecond { out.append(CallDetail("tok/s", Format.fixed(speed, 1))) }
            out.append(CallDetail("local", Format.dollars(record.localCost.dollars)))
            if let cloud = record.cloudCost {
                out.append(CallDetail("cloud", Format.dollars(cloud.dollars) + " (" + (record.cloudModel ?? "?") + ")"))
            }
        }
        out.append(CallDetail("outcome", record.outcome.rawValue))
        if let error = record.errorText { out.append(CallDetail("error", String(error.prefix(200)))) }
        return out
    }

    /// Inter-token latency details for a model call's record: p50 and p95 in milliseconds.
    static func latencyDetails(_ gaps: [Double]) -> [String: JSONValue] {
        [itlP50Key: .number(quantile(gaps, 0.5) * 1000), itlP95Key: .number(quantile(gaps, 0.95) * 1000)]
    }

    /// The nearest-rank quantile, as `CallStats.interTokenLatency(quantile:)` computes it.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        var stats = CallStats()
        stats.interTokenLatencies = values
        return stats.interTokenLatency(quantile: q)
    }
}
