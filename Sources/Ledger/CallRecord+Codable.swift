// The JSON form of a call record, as the JSONL export writes it: snake_case keys, UTC ISO 8601 times.
// Written by hand so that the form does not depend on an encoder's date or key strategies.
import Foundation

extension CallRecord {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, parentID = "parent_id", runID = "run_id", sessionID = "session_id", kind, agent, model, tool
        case startedAt = "started_at", endedAt = "ended_at", tokens
        case meanBatchSize = "mean_batch_size", computeShare = "compute_share"
        case timeToFirstToken = "ttft_seconds", tokensPerSecond = "tokens_per_second"
        case computeSeconds = "compute_seconds", localCost = "local_cost_usd", cloudCost = "cloud_cost_usd"
        case cloudModel = "cloud_model", outcome, errorText = "error", details
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func time(_ key: CodingKeys) throws -> Int64 {
            let text = try c.decode(String.self, forKey: key)
            guard let ms = Timestamp.milliseconds(iso8601: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "expected a UTC time like 2025-07-01T12:00:00.000Z")
            }
            return ms
        }
        self.init(
            id: try c.decode(String.self, forKey: .id),
            parentID: try c.decodeIfPresent(String.self, forKey: .parentID),
            runID: try c.decode(String.self, forKey: .runID),
            sessionID: try c.decodeIfPresent(String.self, forKey: .sessionID),
            kind: try c.decode(Kind.self, forKey: .kind),
            agent: try c.decodeIfPresent(String.self, forKey: .agent),
            model: try c.decodeIfPresent(String.self, forKey: .model),
            tool: try c.decodeIfPresent(String.self, forKey: .tool),
            startMilliseconds: try time(.startedAt), endMilliseconds: try time(.endedAt),
            tokens: try c.decodeIfPresent(TokenCounts.self, forKey: .tokens) ?? .zero,
            meanBatchSize: try c.decodeIfPresent(Double.self, forKey: .meanBatchSize) ?? 1,
            computeShare: try c.decodeIfPresent(Double.self, forKey: .computeShare) ?? 1,
            timeToFirstToken: try c.decodeIfPresent(Double.self, forKey: .timeToFirstToken),
            tokensPerSecond: try c.decodeIfPresent(Double.self, forKey: .tokensPerSecond),
            computeMicros: CallRecord.microseconds(try c.decodeIfPresent(Double.self, forKey: .computeSeconds) ?? 0),
            localCost: try c.decodeIfPresent(Cost.self, forKey: .localCost) ?? .zero,
            cloudCost: try c.decodeIfPresent(Cost.self, forKey: .cloudCost),
            cloudModel: try c.decodeIfPresent(String.self, forKey: .cloudModel),
            outcome: try c.decode(Outcome.self, forKey: .outcome),
            errorText: try c.decodeIfPresent(String.self, forKey: .errorText),
            details: try c.decodeIfPresent([String: JSONValue].self, forKey: .details))
    }

    /// Writes every key, with `null` for absent values, so that each line of a JSONL export has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(parentID, forKey: .parentID)
        try c.encode(runID, forKey: .runID)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encode(kind, forKey: .kind)
        try c.encode(agent, forKey: .agent)
        try c.encode(model, forKey: .model)
        try c.encode(tool, forKey: .tool)
        try c.encode(Timestamp.iso8601(milliseconds: startMilliseconds), forKey: .startedAt)
        try c.encode(Timestamp.iso8601(milliseconds: endMilliseconds), forKey: .endedAt)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(meanBatchSize, forKey: .meanBatchSize)
        try c.encode(computeShare, forKey: .computeShare)
        try c.encode(timeToFirstToken, forKey: .timeToFirstToken)
        try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
        try c.encode(computeSeconds, forKey: .computeSeconds)
        try c.encode(localCost, forKey: .localCost)
        try c.encode(cloudCost, forKey: .cloudCost)
        try c.encode(cloudModel, forKey: .cloudModel)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(errorText, forKey: .errorText)
        try c.encode(details, forKey: .details)
    }
}
