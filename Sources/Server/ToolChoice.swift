// OpenAI's `tool_choice`: whether the model may, must, or must not call a tool, or must call one by name.

/// What the request allows the model to do with its tools.
enum ToolChoice: Equatable {
    case none
    case auto
    case required
    case function(String)

    /// Reads `tool_choice` (a string or `{"type": "function", "function": {"name": …}}`).
    static func parse(_ fields: RequestFields, tools: [String]) throws(ServerError) -> ToolChoice {
        guard let value = fields.value("tool_choice") else { return tools.isEmpty ? .none : .auto }
        switch value {
        case .string("none"): return .none
        case .string("auto"): return tools.isEmpty ? .none : .auto
        case .string("required"):
            guard !tools.isEmpty else { throw fields.invalid("tool_choice", "is 'required' but no tools are given") }
            return .required
        case .object:
            let choice = try fields.object("tool_choice")
            guard let name = try choice?.object("function")?.string("name") else {
                throw fields.invalid("tool_choice", "must name a function: {\"type\": \"function\", \"function\": {\"name\": …}}")
            }
            guard tools.contains(name) else {
                throw ServerError.invalidField(field: "tool_choice.function.name",
                                               problem: "names '\(name)', which is not among the tools ("
                                                   + tools.joined(separator: ", ") + ")")
            }
            return .function(name)
        default:
            throw fields.invalid("tool_choice", "must be 'none', 'auto', 'required' or a function object, found "
                                 + value.text.prefix(60))
        }
    }
}
