// Calls served over HTTP land in the same ledger as chats and agent runs: one model record per request.
import Agents
import Foundation
import Inference
import Ledger

/// Writes the record of each served request (priced with the sheet when there is one).
struct ServeLedger: Sendable {
    let store: LedgerStore?
    let prices: PriceSheet?
    let model: String

    /// Records one generation. `stats` nil: the request failed before the model reported anything.
    func record(route: String, requestID: String, started: Date, stats: CallStats?, stop: String,
                outcome: CallRecord.Outcome, error: String?, stream: Bool) async -> String? {
        guard let store else { return nil }
        let s = stats ?? CallStats()
        var record = CallRecord(
            id: requestID, runID: requestID, kind: .model, agent: "serve", model: model, startedAt: started,
            endedAt: Date(),
            tokens: TokenCounts(prompt: s.promptTokens, cached: min(s.cachedTokens, s.promptTokens),
                                generated: s.generatedTokens),
            meanBatchSize: max(0, s.meanBatchSize), computeShare: 1,
            timeToFirstToken: stats == nil ? nil : s.timeToFirstToken,
            tokensPerSecond: stats == nil ? nil : s.tokensPerSecond, computeSeconds: max(0, s.computeSeconds),
            outcome: outcome, errorText: error,
            details: ["route": .string(route), "stop_reason": .string(stop), "stream": .bool(stream)])
        if let prices {
            if let priced = try? prices.priced(record) {
                record = priced
            } else {
                record.localCost = prices.localCost(computeSeconds: record.computeSeconds)
            }
        }
        do {
            try await store.record(record)
            return nil
        } catch {
            return "ledger: \(error)"
        }
    }
}
