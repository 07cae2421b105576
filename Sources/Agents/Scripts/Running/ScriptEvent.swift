// The event stream of a script run: the script's own steps (and map items, and sub-scripts) interleaved with the
// AgentEvents of every model, tool and agent call inside them. The CLI's live lines, the TUI's panes and the
// JSON report are all folds of this one stream.
import Foundation
import Ledger

/// Something that happened in a script run.
public enum ScriptEvent: Sendable {
    /// A script (the top one, or a sub-script of a step) started.
    case scriptStarted(ScriptRunInfo)
    /// A step started, or one item of a mapped step (`info.item` set).
    case stepStarted(ScriptStepInfo)
    /// An attempt failed and the step tries again.
    case stepRetrying(ScriptStepInfo, attempt: Int, reason: String)
    /// A step or an item ended; the record is already in the ledger.
    case stepFinished(ScriptStepOutcome)
    /// A model, tool or agent event inside the step at `path` (step names from the top script down).
    case agent(AgentEvent, path: [String])
    /// A script ended; its record is in the ledger.
    case scriptFinished(ScriptResult)

    /// The finished call this event reports, if any (what a call tree or a ledger summary is built from).
    public var record: CallRecord? {
        switch self {
        case .stepFinished(let outcome): return outcome.record
        case .scriptFinished(let result): return result.record
        case .agent(.modelCallFinished(let record, _), _), .agent(.toolFinished(let record, _), _):
            return record
        case .agent(.runFinished(let result), _): return result.record
        default: return nil
        }
    }
}

/// Receives script events; a plain function so the CLI, the TUI and tests can each plug in.
public struct ScriptEventSink: Sendable {
    public let emit: @Sendable (ScriptEvent) -> Void

    public init(_ emit: @escaping @Sendable (ScriptEvent) -> Void) { self.emit = emit }

    public static let discard = ScriptEventSink { _ in }
}

/// The start of a script.
public struct ScriptRunInfo: Sendable, Equatable {
    public var runID: String
    /// The script's own call (a `script_step` record whose children are its steps).
    public var callID: String
    /// The step that runs it, for sub-scripts.
    public var parentID: String?
    public var name: String
    public var file: String
    /// Its steps' names, in order.
    public var steps: [String]
    /// The step path of the calling step (empty for the top script).
    public var path: [String]
}

/// The start of a step or of one item of a mapped step.
public struct ScriptStepInfo: Sendable, Equatable {
    public var callID: String
    /// The script's call (for steps) or the step's call (for items).
    public var parentID: String
    public var runID: String
    /// Step names from the top script down to this step.
    public var path: [String]
    /// "prompt", "agent", "tool" or "script".
    public var kind: String
    /// 1-based position of the step in its script, and the script's step count.
    public var number: Int
    public var count: Int
    /// For an item: its 1-based number; for a mapped step: nil.
    public var item: Int?
    /// For mapped steps and their items: how many items there are.
    public var items: Int?

    /// The step's own name.
    public var name: String { path.last ?? "" }

    /// "summaries" for a step, "summaries[2]" for its second item.
    public var title: String { item.map { "\(name)[\($0)]" } ?? name }
}

/// How a step (or item) ended.
public enum ScriptStepStatus: String, Sendable, Equatable {
    case ok
    /// Its `when:` was false.
    case skipped
    case failed
    /// A budget ran out (the run stops).
    case budget
    case cancelled
}

/// A finished step or item.
public struct ScriptStepOutcome: Sendable {
    public var info: ScriptStepInfo
    public var status: ScriptStepStatus
    /// The output (null when skipped or not finished; a list for mapped steps).
    public var output: JSON
    /// Attempts made (1 unless retried; for a mapped step, the most any item needed).
    public var attempts: Int
    /// What the step spent, everything inside included.
    public var usage: Usage
    public var error: ScriptError?
    /// The step's `script_step` record.
    public var record: CallRecord
}
