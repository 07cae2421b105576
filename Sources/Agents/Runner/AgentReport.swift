// The machine-readable account of one agent run: the answer, why it stopped, what it used, and the call
// tree with per-call usage. What `tokenworks ask --agent --json` prints and the eval runner keeps.
import Foundation
import Ledger

/// A finished run as JSON.
public struct AgentReport: Encodable, Sendable {
    /// One call in the tree.
    public struct Node: Encodable, Sendable {
        public var id: String
        public var kind: String
        public var name: String
        public var outcome: String
        public var seconds: Double
        /// The call's own tokens.
        public var tokens: TokenCounts
        /// The call and everything below it.
        public var totals: CallTotals
        public var timeToFirstToken: Double?
        public var tokensPerSecond: Double?
        public var error: String?
        public var children: [Node]

        init(_ node: CallTreeNode) {
            let r = node.record
            id = r.id
            kind = r.kind.rawValue
            switch r.kind {
            case .agent: name = r.agent ?? ""
            case .model: name = r.model ?? ""
            case .tool: name = r.tool ?? ""
            case .scriptStep: name = r.agent ?? ""
            }
            outcome = r.outcome.rawValue
            seconds = r.wallSeconds
            tokens = r.tokens
            totals = node.totals
            timeToFirstToken = r.timeToFirstToken
            tokensPerSecond = r.tokensPerSecond
            error = r.errorText
            children = node.children.map(Node.init)
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, name, outcome, seconds, tokens, totals, error, children
            case timeToFirstToken = "ttft_seconds", tokensPerSecond = "tokens_per_second"
        }
    }

    public var runID: String
    public var agent: String
    public var model: String
    public var answer: String?
    public var stop: String
    public var steps: Int
    public var toolCalls: Int
    public var totals: CallTotals
    public var tree: [Node]

    public init(result: AgentRunResult, tree: CallTree) {
        runID = result.info.runID
        agent = result.info.agent
        model = result.info.model
        answer = result.answer
        stop = result.stop.description
        steps = result.usage.steps
        toolCalls = result.usage.toolCalls
        totals = tree.totals
        self.tree = tree.roots.map(Node.init)
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", agent, model, answer, stop, steps, toolCalls = "tool_calls", totals, tree
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
