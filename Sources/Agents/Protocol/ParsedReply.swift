// What a model's reply turned out to be: a final answer, a tool call, or something that tried to be a call.

/// The meaning of one model reply.
public enum ParsedReply: Sendable, Equatable {
    /// The final answer to the task.
    case answer(String)
    /// A call of the named tool.
    case toolCall(name: String, arguments: JSONObject)
    /// The reply looked like a tool call but could not be read; the problem goes back to the model.
    case malformed(problem: String)
}
