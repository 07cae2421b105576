// A function call an assistant made, in the shape chat templates read: {id, type: "function", function: {name,
// arguments}} with arguments as an object.
import Jinja

/// One tool call of an assistant turn. `arguments` is a JSON object (not a string), as transformers' chat
/// templates expect; many templates print it with `|tojson` or iterate over its items.
public struct ToolCall: Sendable, Equatable {
    /// The call id that the matching `tool` turn's `tool_call_id` refers to; nil leaves `id` out.
    public var id: String?
    public var name: String
    public var arguments: JinjaValue

    public init(id: String? = nil, name: String, arguments: JinjaValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// `{"id": …, "type": "function", "function": {"name": …, "arguments": {…}}}`.
    public var jinjaValue: JinjaValue {
        var function = JinjaObject()
        function["name"] = .string(name)
        function["arguments"] = arguments
        var object = JinjaObject()
        if let id { object["id"] = .string(id) }
        object["type"] = "function"
        object["function"] = .object(function)
        return .object(object)
    }

    /// Reads an OpenAI tool call; string arguments that hold JSON are parsed into a value.
    init(openAI value: JinjaValue, what: String) throws(InferenceError) {
        guard case .object(let object) = value, case .object(let function)? = object["function"] else {
            let shape = #"{"id": …, "type": "function", "function": {"name": …, "arguments": …}}"#
            throw .invalidParameter(name: what, value: value.jsonString() ?? "?", expected: shape)
        }
        guard let name = function["name"]?.stringValue else {
            throw .invalidParameter(name: "\(what) function.name", value: function["name"]?.jsonString() ?? "(missing)",
                                    expected: "the function's name as a string")
        }
        var arguments = function["arguments"] ?? .object(JinjaObject())
        if case .string(let text) = arguments {
            guard let parsed = try? JinjaValue(json: text) else {
                throw .invalidParameter(name: "\(what) function.arguments", value: text,
                                        expected: "an object or a string holding JSON")
            }
            arguments = parsed
        }
        self.init(id: object["id"]?.stringValue, name: name, arguments: arguments)
    }
}
