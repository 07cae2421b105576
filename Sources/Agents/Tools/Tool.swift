// The seam between the agent loop and whatever a model may call: files, the shell, arithmetic, other agents.
// A tool describes itself (name, one-line description, JSON Schema of its arguments) and runs on arguments.

/// Something a model can call by name with a JSON object of arguments.
///
/// Why so small a protocol: the runner needs only the description (to tell the model, and to build the
/// grammar that constrains a call to valid arguments) and `run`. Errors thrown by `run` are not fatal: the
/// runner turns them into an error result the model reads on its next turn.
public protocol Tool: Sendable {
    /// The name the model calls the tool by (lowercase, underscores).
    var name: String { get }
    /// One or two sentences the model reads to decide when to use the tool.
    var summary: String { get }
    /// JSON Schema of the arguments object (type, properties in the order shown, required keys).
    var parameters: JSON { get }
    /// Runs the tool. Long-running tools must stop promptly when the task is cancelled.
    func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult
}

/// The description of a tool as the model and the grammar see it; a value, so it can be sent to a backend.
public struct ToolSpec: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var parameters: JSON

    public init(name: String, summary: String, parameters: JSON) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
    }

    public init(_ tool: any Tool) {
        self.init(name: tool.name, summary: tool.summary, parameters: tool.parameters)
    }
}

extension JSON {
    /// A JSON Schema of an object with these properties (in this order), of which `required` must be present.
    public static func objectSchema(_ properties: [(String, JSON)], required: [String]) -> JSON {
        [
            "type": "object",
            "properties": .object(JSONObject(properties)),
            "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ]
    }

    /// A property schema: a JSON type name and a description.
    public static func property(_ type: String, _ description: String) -> JSON {
        ["type": .string(type), "description": .string(description)]
    }
}
