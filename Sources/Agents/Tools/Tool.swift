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
    /// The argument schema for one workspace: file tools narrow a path to the files that exist (an `enum`), so
    /// a grammar built from it cannot produce a path that is not there. Defaults to `parameters`.
    func parameters(in workspace: Workspace) -> JSON
    /// Runs the tool. Long-running tools must stop promptly when the task is cancelled.
    func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult
    /// True when calls of this tool may run at the same time as other such calls of one reply: no side effects
    /// another call could observe (reading, computing, asking a sub-agent). Defaults to false.
    var runsConcurrently: Bool { get }
}

extension Tool {
    public func parameters(in workspace: Workspace) -> JSON { parameters }
    public var runsConcurrently: Bool { false }
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

    /// The description with the argument schema narrowed to `workspace` (see `Tool.parameters(in:)`).
    public init(_ tool: any Tool, workspace: Workspace) {
        self.init(name: tool.name, summary: tool.summary, parameters: tool.parameters(in: workspace))
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

    /// This schema with property `key` limited to `values` (left unchanged when `values` is empty or too long
    /// to be worth a grammar alternative each).
    public func restricting(_ key: String, to values: [String], maximum: Int = 64) -> JSON {
        guard !values.isEmpty, values.count <= maximum, case .object(var schema) = self,
              case .object(var properties)? = schema["properties"], case .object(var property)? = properties[key]
        else { return self }
        property["enum"] = .array(values.map { .string($0) })
        properties[key] = .object(property)
        schema["properties"] = .object(properties)
        return .object(schema)
    }

    /// A property schema: a JSON type name and a description.
    public static func property(_ type: String, _ description: String) -> JSON {
        ["type": .string(type), "description": .string(description)]
    }
}
