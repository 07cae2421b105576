// run_shell: a shell command in the workspace, run only with the user's consent (or an allow-list match),
// with a timeout and capped output. The process handling itself is in ShellProcess.
import Foundation

/// Runs `/bin/sh -c COMMAND` in the workspace root.
public struct RunShellTool: Tool {
    /// Commands that run without asking. An entry matches a command equal to it or starting with it followed
    /// by a space, provided the command has no shell control characters (`;`, `&`, `|`, `` ` ``, `$`, `<`, `>`,
    /// newlines), so "ls" allows "ls -la src" but not "ls; rm -rf x".
    public var allowList: [String]
    /// Seconds a command may run (a call may ask for less, never more).
    public var timeout: Double
    /// Bytes of combined stdout/stderr kept.
    public var outputLimit: Int

    public init(allowList: [String] = [], timeout: Double = 30, outputLimit: Int = 16 * 1024) {
        self.allowList = allowList
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    public var name: String { "run_shell" }
    public var summary: String {
        "Run a shell command in the workspace and return its output and exit status. The user may be asked first."
    }
    public var parameters: JSON {
        .objectSchema([
            ("command", .property("string", "The command line, run with /bin/sh -c")),
        ], required: ["command"])
    }

    /// Whether `command` may run without asking.
    public func isAllowed(_ command: String) -> Bool {
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains(where: { ";&|`$<>\n\r(){}".contains($0) }) else { return false }
        return allowList.contains { entry in
            let e = entry.trimmingCharacters(in: .whitespaces)
            return !e.isEmpty && (trimmed == e || trimmed.hasPrefix(e + " "))
        }
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let command = try arguments.string("command")
        guard !command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AgentsError.invalidArgument(tool: name, key: "command", problem: "must not be empty")
        }
        if !isAllowed(command) {
            let request = ShellConfirmationRequest(command: command, directory: context.workspace.root,
                                                   agent: context.agent)
            guard await context.confirm(request) else { throw AgentsError.commandDeclined(command: command) }
        }
        try Task.checkCancellation()
        let outcome = try await ShellProcess.run(command: command, directory: context.workspace.root,
                                                 timeout: timeout, outputLimit: outputLimit)
        if outcome.timedOut { throw AgentsError.commandTimedOut(command: command, seconds: timeout) }
        var text = outcome.output
        if outcome.totalBytes > outcome.keptBytes {
            text += "\n[… truncated: \(outcome.totalBytes - outcome.keptBytes) more bytes of output not shown]"
        }
        let status = outcome.signal.map { "killed by signal \($0)" } ?? "exit status \(outcome.exitStatus)"
        let body = text.isEmpty ? "(no output)" : text
        return ToolResult(output: "\(status)\n\(body)", isError: outcome.exitStatus != 0 || outcome.signal != nil,
                          details: ["exit_status": .number(Double(outcome.exitStatus)),
                                    "output_bytes": .number(Double(outcome.totalBytes))])
    }
}
