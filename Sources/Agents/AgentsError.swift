// The one error type of the Agents target: workspace refusals, tool argument problems, calculator syntax,
// profile files, budgets and backends. Every case carries its context and says what to do about it.
import Foundation

/// Everything that can go wrong in the agent loop and its tools.
///
/// Tool errors never stop a run: the runner turns them into a tool result (`description`) the model reads and
/// can react to, so the text is written for a model as much as for a person.
public enum AgentsError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    // MARK: Workspace
    /// The workspace root itself cannot be opened.
    case workspaceUnavailable(root: String, reason: String)
    /// A path that would leave the workspace: absolute, `..`, or containing a NUL byte.
    case pathEscapes(path: String, reason: String)
    /// A path component is a symbolic link (never followed inside the workspace).
    case symlinkRefused(path: String, component: String)
    /// Not a regular file or directory: a device, FIFO or socket.
    case specialFileRefused(path: String, kind: String)
    /// No such file; `nearby` lists files that do exist close to where it was looked for.
    case notFound(path: String, nearby: [String] = [])
    case notADirectory(path: String)
    case isADirectory(path: String)
    /// Any other system-call failure, with its errno text.
    case ioFailed(path: String, operation: String, reason: String)

    // MARK: Tools
    /// The model asked for a tool the agent does not have.
    case unknownTool(name: String, available: [String])
    /// A tool argument is missing or of the wrong type.
    case invalidArgument(tool: String, key: String, problem: String)
    /// edit_file: the text to replace is absent or appears more than once.
    case editMismatch(path: String, occurrences: Int)
    /// search_text: the pattern is not a valid regular expression.
    case invalidPattern(pattern: String, reason: String)
    /// run_shell: the user said no.
    case commandDeclined(command: String)
    case commandTimedOut(command: String, seconds: Double)
    case commandFailedToStart(command: String, reason: String)
    /// A sub-agent could not be started (depth exhausted, unknown profile …).
    case delegationRefused(profile: String, reason: String)

    // MARK: Calculator
    /// The expression has a syntax error at a 1-based character position.
    case calculatorSyntax(expression: String, position: Int, problem: String)
    /// The expression is well formed but cannot be evaluated (division by zero, sqrt of a negative …).
    case calculatorMath(expression: String, problem: String)

    // MARK: Model output
    /// The model's reply looked like a tool call but is not valid JSON (lenient mode reports it back).
    case malformedToolCall(output: String, problem: String)

    // MARK: Profiles
    case profileUnreadable(file: String, reason: String)
    case profileSyntax(file: String, line: Int, column: Int, problem: String)
    case profileMissingKey(file: String, line: Int, key: String)
    case profileInvalidValue(file: String, line: Int, key: String, expected: String, found: String)
    case profileUnknownKey(file: String, line: Int, key: String, allowed: [String])
    case profileNotFound(name: String, searched: [String], available: [String])
    case promptNotFound(file: String, line: Int, prompt: String, searched: [String])

    // MARK: Backends and the run
    case backendFailed(model: String, reason: String)
    case modelNotFound(path: String)

    // MARK: Remote models
    /// A model reference (`--model`, a profile's `model:`) that names a remote endpoint but is not well formed.
    case invalidModelReference(reference: String, problem: String)
    /// The endpoint's API key variable is not set.
    case missingAPIKey(endpoint: String, variable: String)
    /// No connection could be made (refused, DNS, TLS, reset) after every retry.
    case remoteUnreachable(endpoint: String, reason: String, attempts: Int)
    /// No answer (or no further streamed data) within the endpoint's timeout, after every retry.
    case remoteTimedOut(endpoint: String, seconds: Double, attempts: Int)
    /// The server kept answering 429 Too Many Requests.
    case remoteRateLimited(endpoint: String, attempts: Int, message: String)
    /// The server answered with an HTTP error that retrying cannot fix (or kept failing with 5xx).
    case remoteHTTPError(endpoint: String, status: Int, message: String, attempts: Int)
    /// The server's answer is not the OpenAI format (not JSON, no choices, a broken event stream).
    case remoteMalformed(endpoint: String, problem: String)

    // MARK: Configuration
    /// The config file cannot be read or is not valid YAML.
    case configUnreadable(file: String, reason: String)
    /// A value in the config file is missing, of the wrong type, or unknown.
    case configInvalid(file: String, line: Int, key: String, problem: String)

    // MARK: MCP
    /// An MCP server could not be started or did not complete the handshake.
    case mcpServerFailed(server: String, reason: String)
    /// An MCP tool call failed at the protocol level (not a tool error the server reported).
    case mcpCallFailed(server: String, tool: String, reason: String)
    /// The user said no to an MCP tool call.
    case mcpCallDeclined(tool: String)

    public var description: String {
        switch self {
        case .workspaceUnavailable(let root, let reason):
            return "cannot open the workspace \(root): \(reason); run from a readable directory"
        case .pathEscapes(let path, let reason):
            return "path '\(path)' refused: \(reason); use a relative path inside the workspace"
        case .symlinkRefused(let path, let component):
            return "path '\(path)' refused: '\(component)' is a symbolic link, and links are not followed "
                + "inside the workspace; use the real path"
        case .specialFileRefused(let path, let kind):
            return "path '\(path)' refused: it is a \(kind), not a regular file"
        case .notFound(let path, let nearby):
            if nearby.isEmpty { return "no such file or directory: '\(path)'; call list_dir to see what exists" }
            return "no such file or directory: '\(path)'; files there: " + nearby.joined(separator: ", ")
        case .notADirectory(let path):
            return "'\(path)' is not a directory"
        case .isADirectory(let path):
            return "'\(path)' is a directory; call list_dir on it instead"
        case .ioFailed(let path, let operation, let reason):
            return "cannot \(operation) '\(path)': \(reason)"
        case .unknownTool(let name, let available):
            return "there is no tool named '\(name)'; available tools: "
                + (available.isEmpty ? "none" : available.joined(separator: ", "))
        case .invalidArgument(let tool, let key, let problem):
            return "\(tool): argument '\(key)' \(problem)"
        case .editMismatch(let path, let occurrences):
            if occurrences == 0 {
                return "edit_file: the text to replace does not occur in '\(path)'; read the file and copy the "
                    + "exact text"
            }
            return "edit_file: the text to replace occurs \(occurrences) times in '\(path)'; include more "
                + "surrounding text so it matches exactly once"
        case .invalidPattern(let pattern, let reason):
            return "search_text: '\(pattern)' is not a valid regular expression (\(reason)); set literal to true "
                + "to search for the text as it is"
        case .commandDeclined(let command):
            return "run_shell: the user declined to run '\(command)'"
        case .commandTimedOut(let command, let seconds):
            return "run_shell: '\(command)' did not finish within \(formatSeconds(seconds)) s and was stopped"
        case .commandFailedToStart(let command, let reason):
            return "run_shell: cannot start '\(command)': \(reason)"
        case .delegationRefused(let profile, let reason):
            return "cannot delegate to '\(profile)': \(reason)"
        case .calculatorSyntax(let expression, let position, let problem):
            return "calculator: \(problem) at position \(position) in '\(expression)'"
        case .calculatorMath(let expression, let problem):
            return "calculator: \(problem) in '\(expression)'"
        case .malformedToolCall(let output, let problem):
            return "your reply is not a valid tool call (\(problem)): \(output.prefix(200)); reply with one JSON "
                + "object, either {\"tool\": NAME, \"arguments\": {...}} or {\"answer\": TEXT}"
        case .profileUnreadable(let file, let reason):
            return "cannot read agent profile \(file): \(reason)"
        case .profileSyntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): not valid YAML: \(problem)"
        case .profileMissingKey(let file, let line, let key):
            return "\(file):\(line): missing key '\(key)'; add it to the profile"
        case .profileInvalidValue(let file, let line, let key, let expected, let found):
            return "\(file):\(line): '\(key)' must be \(expected), found \(found)"
        case .profileUnknownKey(let file, let line, let key, let allowed):
            return "\(file):\(line): unknown key '\(key)'; allowed keys: \(allowed.joined(separator: ", "))"
        case .profileNotFound(let name, let searched, let available):
            return "no agent profile named '\(name)' in \(searched.joined(separator: ", ")); available: "
                + (available.isEmpty ? "none" : available.joined(separator: ", "))
        case .promptNotFound(let file, let line, let prompt, let searched):
            return "\(file):\(line): system prompt '\(prompt)' not found in \(searched.joined(separator: ", "))"
        case .backendFailed(let model, let reason):
            return "model \(model) failed: \(reason)"
        case .modelNotFound(let path):
            return "no model file at \(path): set `model:` in the profile to a GGUF file, or pass --model"
        case .invalidModelReference(let reference, let problem):
            return "model '\(reference)' is not a valid remote model: \(problem); write MODEL@http://HOST:PORT/v1 "
                + "or the name of an endpoint in config.yaml"
        case .missingAPIKey(let endpoint, let variable):
            return "endpoint \(endpoint) needs an API key: set the environment variable \(variable)"
        case .remoteUnreachable(let endpoint, let reason, let attempts):
            return "cannot reach \(endpoint) (\(reason)) after \(attempts) attempt\(attempts == 1 ? "" : "s"); "
                + "check that the server runs and the base URL is right"
        case .remoteTimedOut(let endpoint, let seconds, let attempts):
            return "\(endpoint) sent nothing for \(formatSeconds(seconds)) s (\(attempts) attempt\(attempts == 1 ? "" : "s")); "
                + "raise timeout_seconds for the endpoint or check the server's load"
        case .remoteRateLimited(let endpoint, let attempts, let message):
            return "\(endpoint) is rate limiting (429) and still was after \(attempts) attempt\(attempts == 1 ? "" : "s")"
                + (message.isEmpty ? "" : ": \(message)") + "; wait, or raise max_retries for the endpoint"
        case .remoteHTTPError(let endpoint, let status, let message, let attempts):
            return "\(endpoint) answered HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
                + (attempts > 1 ? " (after \(attempts) attempts)" : "")
        case .remoteMalformed(let endpoint, let problem):
            return "\(endpoint) did not answer in the OpenAI format: \(problem)"
        case .configUnreadable(let file, let reason):
            return "cannot read the config file \(file): \(reason)"
        case .configInvalid(let file, let line, let key, let problem):
            return "\(file):\(line): '\(key)' \(problem)"
        case .mcpServerFailed(let server, let reason):
            return "MCP server '\(server)' failed: \(reason); check its command in config.yaml"
        case .mcpCallFailed(let server, let tool, let reason):
            return "MCP tool \(tool) on server '\(server)' failed: \(reason)"
        case .mcpCallDeclined(let tool):
            return "the user declined the call of \(tool)"
        }
    }

    public var errorDescription: String? { description }
}

/// Seconds without a trailing ".0" for whole numbers ("20", "0.5").
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
}
