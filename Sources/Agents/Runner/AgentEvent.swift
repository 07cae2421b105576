// The one stream of what an agent run does, in order, as it happens: consumed by the TUI, the headless runner,
// the call tree and tests. Finished calls carry their ledger record, so every consumer sees the same numbers.
import Foundation
import Ledger

/// Something that happened in an agent run (or in one of its sub-agents, which share the stream).
public enum AgentEvent: Sendable {
    /// An agent started working on a task (the top-level agent or a sub-agent).
    case runStarted(AgentRunInfo)
    /// A model call started.
    case modelCallStarted(ModelCallInfo)
    /// Text the model generated (one token's worth, possibly empty while a character is incomplete).
    case token(callID: String, text: String)
    /// A model call ended; the record holds its tokens, timings and cost, and `reply` its whole text.
    case modelCallFinished(CallRecord, reply: String)
    /// A tool call started.
    case toolStarted(ToolCallInfo)
    /// A tool call ended (successfully or not).
    case toolFinished(CallRecord, result: ToolResult)
    /// Use of a budget passed its warning threshold (once per kind and agent).
    case budgetWarning(callID: String, BudgetExhaustion)
    /// A budget ran out; the agent stops after this.
    case budgetExhausted(callID: String, BudgetExhaustion)
    /// An agent finished; the result carries its answer (if any), why it stopped, and its roll-up record.
    case runFinished(AgentRunResult)
    /// Something worth telling the user that did not stop the run (a ledger write failed …).
    case notice(String)
}

/// The start of one agent's work.
public struct AgentRunInfo: Sendable, Equatable {
    /// Shared by every call a user request caused, sub-agents included.
    public var runID: String
    /// This agent's own call id (the `agent` record in the ledger).
    public var callID: String
    /// The tool call that started this agent, for sub-agents.
    public var parentCallID: String?
    public var agent: String
    public var model: String
    /// 0 for the top-level agent.
    public var depth: Int
    public var task: String
}

/// The start of one model call.
public struct ModelCallInfo: Sendable, Equatable {
    public var callID: String
    /// The agent call this model call belongs to.
    public var parentID: String
    public var runID: String
    public var agent: String
    public var model: String
    /// 1 for the agent's first model call.
    public var step: Int
}

/// The start of one tool call.
public struct ToolCallInfo: Sendable, Equatable {
    public var callID: String
    /// The model call that asked for it.
    public var parentID: String
    public var runID: String
    public var agent: String
    public var tool: String
    public var arguments: JSONObject
}

/// Why an agent stopped.
public enum StopCause: Sendable, Equatable, CustomStringConvertible {
    /// The model gave its answer.
    case answered
    /// A budget ran out.
    case budget(BudgetExhaustion)
    /// The user (or the caller's task) cancelled the run.
    case cancelled
    /// The model backend failed.
    case failed(String)

    public var description: String {
        switch self {
        case .answered: return "answered"
        case .budget(let exhaustion): return exhaustion.description
        case .cancelled: return "cancelled"
        case .failed(let reason): return "failed: \(reason)"
        }
    }
}

/// What one agent run came to.
public struct AgentRunResult: Sendable {
    public var info: AgentRunInfo
    /// The model's final answer; nil when the run stopped before answering.
    public var answer: String?
    public var stop: StopCause
    /// Everything spent by this agent and its sub-agents.
    public var usage: Usage
    /// The agent's own ledger record (its model and tool calls are its descendants).
    public var record: CallRecord
}
