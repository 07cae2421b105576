// What a model's reply turned out to be: a final answer, a tool call, or something that tried to be a call.

/// The meaning of one model reply.
public enum ParsedReply: Sendable, Equatable {
    /// The final answer to the task.
    case answer(String)
    /// A call of the named tool.
    case toolCall(name: String, arguments: JSONObject)
    /// Two or more calls in one reply (`{"calls": [...]}`, several `<tool_call>` blocks), in the reply's order.
    /// Independent ones may run concurrently (see `AgentProfile.maxParallel`).
    case toolCalls([ToolCallRequest])
    /// The reply looked like a tool call but could not be read; the problem goes back to the model.
    case malformed(problem: String)
}

/// One call a reply asks for: a tool name and its arguments.
public struct ToolCallRequest: Sendable, Equatable {
    public var name: String
    public var arguments: JSONObject

    public init(name: String, arguments: JSONObject) {
        self.name = name
        self.arguments = arguments
    }
}
