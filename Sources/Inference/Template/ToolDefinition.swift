// A tool offered to the model, as an OpenAI function definition (what chat templates list in their tool prompt).
import Jinja

/// A function the model may call: name, description and a JSON-schema for its parameters.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    /// JSON schema of the arguments (`{"type": "object", "properties": {…}, "required": […]}`).
    public var parameters: JinjaValue

    public init(name: String, description: String, parameters: JinjaValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// `{"type": "function", "function": {"name", "description", "parameters"}}`, the element of `tools`.
    public var jinjaValue: JinjaValue {
        var function = JinjaObject()
        function["name"] = .string(name)
        function["description"] = .string(description)
        function["parameters"] = parameters
        var object = JinjaObject()
        object["type"] = "function"
        object["function"] = .object(function)
        return .object(object)
    }
}
