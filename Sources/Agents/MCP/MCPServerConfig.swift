// How to start one MCP tool server over stdio, and which of its tools may run without asking the user.

/// One `mcp_servers:` entry of config.yaml.
public struct MCPServerConfig: Sendable, Equatable {
    /// The name profiles use (`tools: [mcp:NAME]`) and the prefix of its tools' names.
    public var name: String
    /// The program (looked up on PATH) and its arguments.
    public var command: String
    public var arguments: [String]
    /// Variables added to the server's environment.
    public var environment: [String: String]
    /// The server's working directory (nil: the current one).
    public var directory: String?
    /// Tools (by their name on the server) that run without confirmation; `*` allows all. Every other call
    /// asks the user first, like a shell command that is not on the allow list.
    public var allow: [String]
    /// Seconds for the handshake and for one tool call.
    public var timeout: Double

    public init(name: String, command: String, arguments: [String] = [], environment: [String: String] = [:],
                directory: String? = nil, allow: [String] = [], timeout: Double = 30) {
        self.name = name
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.allow = allow
        self.timeout = timeout
    }

    /// Whether calls of the server's tool `tool` run without asking.
    public func allows(_ tool: String) -> Bool { allow.contains("*") || allow.contains(tool) }
}
