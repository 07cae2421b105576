// What a running tool may see of the run that called it: the workspace, the user (for confirmations), the
// call's place in the call tree, the budget left, and the event stream (for sub-agents' own events).

/// Asks the user whether a command may run; answers false to refuse. Injected so the TUI can show a dialog,
/// the headless runner can prompt on the terminal, and tests can answer either way.
public typealias ConfirmationHandler = @Sendable (ShellConfirmationRequest) async -> Bool

/// A shell command waiting for the user's permission.
public struct ShellConfirmationRequest: Sendable, Equatable {
    public var command: String
    /// The directory it would run in (the workspace root).
    public var directory: String
    /// The agent asking.
    public var agent: String
}

/// Receives agent events as they happen; a plain function so any consumer (stream, TUI, test) can be plugged in.
public struct EventSink: Sendable {
    public let emit: @Sendable (AgentEvent) -> Void

    public init(_ emit: @escaping @Sendable (AgentEvent) -> Void) { self.emit = emit }

    /// Drops every event.
    public static let discard = EventSink { _ in }
}

/// The run-time context of one tool call.
public struct ToolContext: Sendable {
    public var workspace: Workspace
    public var runID: String
    /// This tool call's id: the parent of whatever calls it makes (a sub-agent's run).
    public var callID: String
    /// The agent profile that made the call.
    public var agent: String
    /// 0 for the top-level agent, 1 for its sub-agents, …
    public var depth: Int
    /// The calling agent's budget left when the call started (bounds a sub-agent's budget).
    public var remaining: Budget
    public var confirm: ConfirmationHandler
    public var events: EventSink

    public init(workspace: Workspace, runID: String = "", callID: String = "", agent: String = "",
                depth: Int = 0, remaining: Budget = .unlimited,
                confirm: @escaping ConfirmationHandler = { _ in false }, events: EventSink = .discard) {
        self.workspace = workspace
        self.runID = runID
        self.callID = callID
        self.agent = agent
        self.depth = depth
        self.remaining = remaining
        self.confirm = confirm
        self.events = events
    }
}
