// The machine-readable account of a script run (`tokenworks run --json`): status, output, every step with its
// spend, the totals and the call tree; and the one-line ledger summary the command prints at the end.
import Foundation
import Ledger

/// A finished script run as JSON.
public struct ScriptReport: Encodable, Sendable {
    /// One top-level step.
    public struct Step: Encodable, Sendable {
        public var name: String
        public var kind: String
        public var status: String
        public var attempts: Int
        public var items: Int?
        public var output: EncodableJSON
        public var modelCalls: Int
        public var toolCalls: Int
        public var tokens: TokenCounts
        public var costUSD: Double
        public var seconds: Double
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case name, kind, status, attempts, items, output, tokens, seconds, error
            case modelCalls = "model_calls", toolCalls = "tool_calls", costUSD = "cost_usd"
        }
    }

    public var script: String
    public var name: String
    public var runID: String
    public var status: String
    public var exitCode: Int32
    public var error: String?
    public var output: EncodableJSON
    public var steps: [Step]
    public var totals: CallTotals
    public var tree: [AgentReport.Node]

    /// - Parameter records: every call of the run (from the ledger, or collected from the events).
    public init(result: ScriptResult, records: [CallRecord]) {
        script = result.info.file
        name = result.info.name
        runID = result.info.runID
        status = result.status.rawValue
        exitCode = result.status.exitCode
        error = result.error?.description
        output = EncodableJSON(result.output ?? .null)
        steps = result.steps.map { outcome in
            Step(name: outcome.info.name, kind: outcome.info.kind, status: outcome.status.rawValue,
                 attempts: outcome.attempts, items: outcome.info.items, output: EncodableJSON(outcome.output),
                 modelCalls: outcome.usage.steps, toolCalls: outcome.usage.toolCalls, tokens: outcome.usage.tokens,
                 costUSD: outcome.usage.cost.dollars, seconds: outcome.record.wallSeconds,
                 error: outcome.error?.description)
        }
        let sorted = records.sorted { ($0.startedAt, $0.endedAt) < ($1.startedAt, $1.endedAt) }
        totals = LedgerQuery.total(of: sorted)
        tree = LedgerQuery.trees(of: sorted).map(AgentReport.Node.init)
    }

    enum CodingKeys: String, CodingKey {
        case script, name, status, error, output, steps, totals, tree
        case runID = "run_id", exitCode = "exit_code"
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// One line summing up the run's calls as the ledger holds them: counts by kind, tokens, time and money.
    public static func summary(of records: [CallRecord], runID: String, seconds: Double) -> String {
        let totals = LedgerQuery.total(of: records)
        func count(_ kind: CallRecord.Kind) -> Int { records.filter { $0.kind == kind }.count }
        var kinds: [String] = []
        for (kind, label) in [(CallRecord.Kind.model, "model"), (.tool, "tool"), (.agent, "agent"),
                              (.scriptStep, "script step")] where count(kind) > 0 {
            kinds.append("\(count(kind)) \(label)")
        }
        let t = totals.tokens
        var text = "ledger: run \(runID.prefix(8)) · \(records.count) calls"
        if !kinds.isEmpty { text += " (" + kinds.joined(separator: ", ") + ")" }
        text += " · \(t.prompt + t.generated) tokens (\(t.prompt) prompt"
        if t.cached > 0 { text += ", \(t.cached) cached" }
        text += ", \(t.generated) generated) · " + String(format: "%.1f s", seconds)
        text += " · local \(totals.localCost)"
        if totals.cloudCost != .zero { text += " · cloud equivalent \(totals.cloudCost)" }
        if totals.failures > 0 { text += " · \(totals.failures) not ok" }
        return text
    }
}

/// Our JSON value as an Encodable (for reports built with JSONEncoder).
public struct EncodableJSON: Encodable, Sendable {
    public var value: JSON

    public init(_ value: JSON) { self.value = value }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let n):
            var c = encoder.singleValueContainer()
            if n == n.rounded(), abs(n) < 9e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(EncodableJSON(item)) }
        case .object(let object):
            var c = encoder.container(keyedBy: Key.self)
            for (key, member) in object.pairs { try c.encode(EncodableJSON(member), forKey: Key(stringValue: key)) }
        }
    }
}
