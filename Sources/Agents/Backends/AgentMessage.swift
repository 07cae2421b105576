// One turn of an agent's conversation, with the roles the loop needs (tool results are their own role);
// the tool-call format maps them onto what a model's chat template understands.

/// A message in an agent's conversation.
public struct AgentMessage: Sendable, Equatable {
    public enum Role: Sendable, Equatable {
        case system, user, assistant
        /// The result of the named tool.
        case tool(String)

        /// The chat-template role name ("tool" for tool results).
        public var name: String {
            switch self {
            case .system: return "system"
            case .user: return "user"
            case .assistant: return "assistant"
            case .tool: return "tool"
            }
        }
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}
