// One finished call — a model call, a tool call, an agent or a script step — with its tokens, timing and cost.
// The agent loop builds one as each call ends; the store writes it in its own transaction.
import Foundation

/// Everything the ledger keeps about one call.
///
/// Times are held in whole milliseconds and compute time in whole microseconds, the precision SQLite stores,
/// so a record read back from the ledger is `==` to the one written.
public struct CallRecord: Hashable, Sendable, Identifiable, Codable {
    /// What kind of work the call was.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// One request to a language model (local or remote).
        case model
        /// One tool invocation.
        case tool
        /// An agent's whole turn; its model and tool calls are its children.
        case agent
        /// One step of a headless agent script.
        case scriptStep = "script_step"
    }

    /// How the call ended.
    public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
        case ok
        case error
        case cancelled
        /// Stopped because a budget (steps, tokens, dollars, time, depth) ran out.
        case budget
    }

    /// A UUID string, unique in the ledger.
    public var id: String
    /// The call that made this one (an agent for its model calls, a model call for its tool calls); nil at the top.
    public var parentID: String?
    /// One user request or one script run: every call it caused shares this id.
    public var runID: String
    /// The chat session the run belongs to, if any.
    public var sessionID: String?
    public var kind: Kind
    /// The agent profile that made the call.
    public var agent: String?
    /// The model: a GGUF file name for local calls, the remote model id otherwise.
    public var model: String?
    /// The tool, for tool calls.
    public var tool: String?

    private var startedAtMilliseconds: Int64
    private var endedAtMilliseconds: Int64
    private var computeMicroseconds: Int64

    /// Tokens by kind.
    public var tokens: TokenCounts
    /// How many sequences shared each forward pass, on average (1 when the call ran alone).
    public var meanBatchSize: Double
    /// The share of the forward passes' time attributed to this call (1 when it ran alone).
    public var computeShare: Double
    /// Seconds from the request to the first generated token.
    public var timeToFirstToken: Double?
    /// Generation speed, generated tokens per second after the first token.
    public var tokensPerSecond: Double?
    /// What running this call cost on the local machine (compute seconds × machine price).
    public var localCost: Cost
    /// What the same tokens would have cost on `cloudModel`; nil when the call was not priced.
    public var cloudCost: Cost?
    /// The hosted model `cloudCost` was priced against.
    public var cloudModel: String?
    public var outcome: Outcome
    /// The error message, for `error`, `cancelled` and `budget` outcomes.
    public var errorText: String?
    /// A few extra facts as JSON (stop reason, tool exit code …); keep it small, it is stored with every row.
    public var details: [String: JSONValue]?

    public init(id: String = UUID().uuidString, parentID: String? = nil, runID: String, sessionID: String? = nil,
                kind: Kind, agent: String? = nil, model: String? = nil, tool: String? = nil,
                startedAt: Date, endedAt: Date, tokens: TokenCounts = .zero,
                meanBatchSize: Double = 1, computeShare: Double = 1,
                timeToFirstToken: Double? = nil, tokensPerSecond: Double? = nil, computeSeconds: Double = 0,
                localCost: Cost = .zero, cloudCost: Cost? = nil, cloudModel: String? = nil,
                outcome: Outcome = .ok, errorText: String? = nil, details: [String: JSONValue]? = nil) {
        self.id = id
        self.parentID = parentID
        self.runID = runID
        self.sessionID = sessionID
        self.kind = kind
        self.agent = agent
        self.model = model
        self.tool = tool
        self.startedAtMilliseconds = Timestamp.milliseconds(startedAt)
        self.endedAtMilliseconds = Timestamp.milliseconds(endedAt)
        self.computeMicroseconds = Self.microseconds(computeSeconds)
        self.tokens = tokens
        self.meanBatchSize = meanBatchSize
        self.computeShare = computeShare
        self.timeToFirstToken = timeToFirstToken
        self.tokensPerSecond = tokensPerSecond
        self.localCost = localCost
        self.cloudCost = cloudCost
        self.cloudModel = cloudModel
        self.outcome = outcome
        self.errorText = errorText
        self.details = details
    }

    /// When the call started, to the millisecond.
    public var startedAt: Date {
        get { Timestamp.date(milliseconds: startedAtMilliseconds) }
        set { startedAtMilliseconds = Timestamp.milliseconds(newValue) }
    }

    /// When the call ended, to the millisecond.
    public var endedAt: Date {
        get { Timestamp.date(milliseconds: endedAtMilliseconds) }
        set { endedAtMilliseconds = Timestamp.milliseconds(newValue) }
    }

    /// The call's share of the machine in seconds (to the microsecond): what the local cost is charged on.
    public var computeSeconds: Double {
        get { Double(computeMicroseconds) / 1e6 }
        set { computeMicroseconds = Self.microseconds(newValue) }
    }

    /// Wall-clock seconds from start to end.
    public var wallSeconds: Double { Double(endedAtMilliseconds - startedAtMilliseconds) / 1000 }

    static func microseconds(_ seconds: Double) -> Int64 {
        let micros = (seconds * 1e6).rounded()
        guard micros.isFinite else { return 0 }
        return Int64(max(-9.0e15, min(9.0e15, micros)))
    }
}

// MARK: - Storage units (used by the store and the exports)

extension CallRecord {
    var startMilliseconds: Int64 { startedAtMilliseconds }
    var endMilliseconds: Int64 { endedAtMilliseconds }
    var computeMicros: Int64 { computeMicroseconds }

    /// Builds a record from the units SQLite stores.
    init(id: String, parentID: String?, runID: String, sessionID: String?, kind: Kind, agent: String?,
         model: String?, tool: String?, startMilliseconds: Int64, endMilliseconds: Int64, tokens: TokenCounts,
         meanBatchSize: Double, computeShare: Double, timeToFirstToken: Double?, tokensPerSecond: Double?,
         computeMicros: Int64, localCost: Cost, cloudCost: Cost?, cloudModel: String?, outcome: Outcome,
         errorText: String?, details: [String: JSONValue]?) {
        self.init(id: id, parentID: parentID, runID: runID, sessionID: sessionID, kind: kind, agent: agent,
                  model: model, tool: tool, startedAt: Date(timeIntervalSince1970: 0),
                  endedAt: Date(timeIntervalSince1970: 0), tokens: tokens, meanBatchSize: meanBatchSize,
                  computeShare: computeShare, timeToFirstToken: timeToFirstToken, tokensPerSecond: tokensPerSecond,
                  localCost: localCost, cloudCost: cloudCost, cloudModel: cloudModel, outcome: outcome,
                  errorText: errorText, details: details)
        self.startedAtMilliseconds = startMilliseconds
        self.endedAtMilliseconds = endMilliseconds
        self.computeMicroseconds = computeMicros
    }

    /// The first broken invariant, as (field, problem), or nil when the record can be written.
    var invariantViolation: (field: String, problem: String)? {
        if id.isEmpty { return ("id", "is empty") }
        if runID.isEmpty { return ("runID", "is empty") }
        let counts: [(String, Int)] = [
            ("prompt tokens", tokens.prompt), ("cached tokens", tokens.cached),
            ("generated tokens", tokens.generated), ("drafted tokens", tokens.drafted),
            ("accepted tokens", tokens.accepted), ("rejected tokens", tokens.rejected),
        ]
        for (name, value) in counts where value < 0 { return (name, "is negative (\(value))") }
        if tokens.cached > tokens.prompt {
            return ("cached tokens", "(\(tokens.cached)) exceed prompt tokens (\(tokens.prompt))")
        }
        if tokens.accepted > tokens.drafted {
            return ("accepted tokens", "(\(tokens.accepted)) exceed drafted tokens (\(tokens.drafted))")
        }
        if endedAtMilliseconds < startedAtMilliseconds { return ("endedAt", "is before startedAt") }
        if computeMicroseconds < 0 { return ("computeSeconds", "is negative") }
        let reals: [(String, Double?)] = [
            ("meanBatchSize", meanBatchSize), ("computeShare", computeShare),
            ("timeToFirstToken", timeToFirstToken), ("tokensPerSecond", tokensPerSecond),
        ]
        for (name, value) in reals {
            if let value, !(value.isFinite && value >= 0) { return (name, "must be a finite number ≥ 0, not \(value)") }
        }
        return nil
    }
}
