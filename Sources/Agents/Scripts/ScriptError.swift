// Everything that can be wrong with an agent script: its YAML, its templates and references (found before any
// model runs), its inputs, and what stops a run (a failed step, a spent budget). Every case says where.
import Foundation

/// A problem with a script, found while loading it (`tokenworks run --dry-run` reports these), while resolving
/// its inputs, or while running it.
///
/// Why a separate enum from `AgentsError`: script errors are about the user's file (line and column, the key,
/// what was expected), not about the agent loop's tools; the CLI maps them to their own exit codes.
public enum ScriptError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    // MARK: Loading
    case unreadable(file: String, reason: String)
    /// Not YAML at all.
    case syntax(SourceLocation, problem: String)
    /// A key has a value of the wrong kind.
    case invalidValue(SourceLocation, key: String, expected: String, found: String)
    /// A key the script format does not have (`context`: "the script", "step 'x'", "input 'y'" …).
    case unknownKey(SourceLocation, key: String, context: String, allowed: [String])
    case missingKey(SourceLocation, key: String, context: String)
    /// A step with none of prompt/template/agent/tool/script.
    case noAction(SourceLocation, step: String)
    /// A step with more than one of them.
    case conflictingKeys(SourceLocation, step: String, keys: [String])
    case duplicateName(SourceLocation, name: String, firstLine: Int)
    /// A `{{ … }}` that cannot be read.
    case templateSyntax(SourceLocation, problem: String)
    /// A template names something that is neither an input nor an earlier step.
    case unknownName(SourceLocation, name: String, known: [String])
    /// A file the script refers to (prompt template, sub-script, schema) does not exist.
    case fileNotFound(SourceLocation, what: String, name: String, searched: [String])
    case unknownAgent(SourceLocation, name: String, available: [String])
    case unknownTool(SourceLocation, name: String, available: [String])
    case invalidAgent(SourceLocation, name: String, problem: String)
    /// A schema the grammar compiler cannot enforce (or that is not JSON Schema).
    case invalidSchema(SourceLocation, problem: String)
    case modelNotFound(SourceLocation, name: String, path: String)
    /// Sub-scripts that call each other.
    case cycle(SourceLocation, chain: [String])

    // MARK: Inputs
    case malformedVariable(String)
    case unknownVariable(name: String, file: String, declared: [String])
    case missingInput(SourceLocation, name: String, stdin: Bool)
    case invalidInput(SourceLocation, name: String, expected: String, found: String)
    case inputFileUnreadable(SourceLocation, name: String, path: String, reason: String)

    // MARK: Running
    /// A template could not be evaluated on the values the run produced.
    case evaluation(SourceLocation, problem: String)
    case notAList(SourceLocation, found: String)
    case schemaMismatch(step: String, problem: String, output: String)
    /// A step failed on every attempt; `reason` is the last attempt's.
    case stepFailed(SourceLocation, step: String, attempts: Int, reason: String)
    /// A budget ran out: the script's (`step` names where it happened) or a step's own.
    case budgetSpent(SourceLocation, scope: BudgetScope, step: String, exhaustion: BudgetExhaustion)
    case cancelled(step: String?)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read script \(file): \(reason)"
        case .syntax(let at, let problem):
            return "\(at): not valid YAML: \(problem)"
        case .invalidValue(let at, let key, let expected, let found):
            return "\(at): '\(key)' must be \(expected), found \(found)"
        case .unknownKey(let at, let key, let context, let allowed):
            return "\(at): unknown key '\(key)' in \(context); expected one of: " + allowed.joined(separator: ", ")
        case .missingKey(let at, let key, let context):
            return "\(at): \(context) needs '\(key)'"
        case .noAction(let at, let step):
            return "\(at): step '\(step)' does nothing: give it one of prompt, template, agent, tool or script"
        case .conflictingKeys(let at, let step, let keys):
            return "\(at): step '\(step)' has " + keys.map { "'\($0)'" }.joined(separator: " and ")
                + ": a step does one thing; split it into several steps"
        case .duplicateName(let at, let name, let firstLine):
            return "\(at): a second step named '\(name)' (the first is on line \(firstLine)); step names must be unique"
        case .templateSyntax(let at, let problem):
            return "\(at): bad template: \(problem)"
        case .unknownName(let at, let name, let known):
            return "\(at): '\(name)' is not an input or an earlier step; names known here: "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
        case .fileNotFound(let at, let what, let name, let searched):
            return "\(at): \(what) '\(name)' not found; looked for " + searched.joined(separator: ", ")
        case .unknownAgent(let at, let name, let available):
            return "\(at): no agent named '\(name)': define it under 'agents:' or add prompts/agents/\(name).yaml; "
                + "profiles available: " + (available.isEmpty ? "none" : available.joined(separator: ", "))
        case .unknownTool(let at, let name, let available):
            return "\(at): no tool named '\(name)'; tools: " + available.joined(separator: ", ")
        case .invalidAgent(let at, let name, let problem):
            return "\(at): agent '\(name)': \(problem)"
        case .invalidSchema(let at, let problem):
            return "\(at): the schema cannot be enforced: \(problem)"
        case .modelNotFound(let at, let name, let path):
            return "\(at): no model file for '\(name)' at \(path): give a GGUF path, a file in the models folder, "
                + "or 'default'"
        case .cycle(let at, let chain):
            return "\(at): scripts call each other in a loop: " + chain.joined(separator: " → ")
        case .malformedVariable(let text):
            return "--var '\(text)' is not NAME=VALUE"
        case .unknownVariable(let name, let file, let declared):
            return "--var \(name): \(file) has no input '\(name)'; its inputs: "
                + (declared.isEmpty ? "none" : declared.joined(separator: ", "))
        case .missingInput(let at, let name, let stdin):
            return "\(at): input '\(name)' has no value: pass --var \(name)=VALUE"
                + (stdin ? " or pipe it on standard input" : "")
        case .invalidInput(let at, let name, let expected, let found):
            return "\(at): input '\(name)' must be \(expected), found \(found)"
        case .inputFileUnreadable(let at, let name, let path, let reason):
            return "\(at): input '\(name)': cannot read \(path): \(reason)"
        case .evaluation(let at, let problem):
            return "\(at): \(problem)"
        case .notAList(let at, let found):
            return "\(at): for_each needs a list, found \(found); the `lines` filter makes a list of a text's lines"
        case .schemaMismatch(let step, let problem, let output):
            return "step '\(step)': the output does not match the schema: \(problem); the output was: "
                + String(output.prefix(200))
        case .stepFailed(let at, let step, let attempts, let reason):
            return "\(at): step '\(step)' failed" + (attempts > 1 ? " after \(attempts) attempts" : "") + ": \(reason)"
        case .budgetSpent(let at, let scope, let step, let exhaustion):
            switch scope {
            case .script(let name):
                return "\(at): the budget of script '\(name)' ran out in step '\(step)': \(exhaustion)"
            case .step:
                return "\(at): step '\(step)' ran out of its budget: \(exhaustion)"
            }
        case .cancelled(let step):
            return "the script was cancelled" + (step.map { " in step '\($0)'" } ?? "")
        }
    }

    public var errorDescription: String? { description }

    /// Where the problem is, when it is in a file.
    public var location: SourceLocation? {
        switch self {
        case .syntax(let at, _), .invalidValue(let at, _, _, _), .unknownKey(let at, _, _, _), .missingKey(let at, _, _),
             .noAction(let at, _), .conflictingKeys(let at, _, _), .duplicateName(let at, _, _),
             .templateSyntax(let at, _), .unknownName(let at, _, _), .fileNotFound(let at, _, _, _),
             .unknownAgent(let at, _, _), .unknownTool(let at, _, _), .invalidAgent(let at, _, _),
             .invalidSchema(let at, _), .modelNotFound(let at, _, _), .cycle(let at, _), .missingInput(let at, _, _),
             .invalidInput(let at, _, _, _), .inputFileUnreadable(let at, _, _, _), .evaluation(let at, _),
             .notAList(let at, _), .stepFailed(let at, _, _, _), .budgetSpent(let at, _, _, _):
            return at
        case .unreadable, .malformedVariable, .unknownVariable, .schemaMismatch, .cancelled:
            return nil
        }
    }
}

/// Which budget ran out: the whole script's (named), or the step's own.
public enum BudgetScope: Sendable, Equatable {
    case script(String)
    case step(String)
}
