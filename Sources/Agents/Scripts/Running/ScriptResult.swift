// What a script run came to: its output, or the reason it stopped (failed step, spent budget, cancellation),
// with every step's outcome and what the run spent. Maps to the exit code of `tokenworks run`.
import Foundation
import Ledger

/// How a script run ended.
public enum ScriptStatus: String, Sendable, Equatable {
    case ok
    case failed
    /// A budget ran out; the run stopped cleanly before spending more.
    case budget
    case cancelled

    /// The exit code of `tokenworks run`: 0 ok, 1 a step failed, 3 a budget ran out, 130 cancelled (as after
    /// Ctrl-C). 2 is left for scripts that do not load (see `ScriptResult.invalidScriptExitCode`).
    public var exitCode: Int32 {
        switch self {
        case .ok: return 0
        case .failed: return 1
        case .budget: return 3
        case .cancelled: return 130
        }
    }
}

/// A finished script run.
public struct ScriptResult: Sendable {
    public var info: ScriptRunInfo
    public var status: ScriptStatus
    /// The script's output (`output:`, else the last step's), nil unless the run succeeded.
    public var output: JSON?
    /// Why the run did not succeed.
    public var error: ScriptError?
    /// The outcomes of the script's steps that started, in order.
    public var steps: [ScriptStepOutcome]
    /// Everything the run spent.
    public var usage: Usage
    /// The script's own record (its steps are its children in the ledger).
    public var record: CallRecord

    /// The exit code for a script that could not be loaded, or whose inputs are wrong.
    public static let invalidScriptExitCode: Int32 = 2

    /// The output as the command line prints it: text as it is, anything else as JSON.
    public var outputText: String? { output.map(\.templateText) }
}
