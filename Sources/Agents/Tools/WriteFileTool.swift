// write_file: creates or replaces a file inside the workspace (atomically; parent folders are created).

/// Writes text to a file in the workspace.
public struct WriteFileTool: Tool {
    public init() {}

    public var name: String { "write_file" }
    public var summary: String { "Create or overwrite a text file in the workspace with the given content." }
    public var parameters: JSON {
        .objectSchema([
            ("path", .property("string", "File path relative to the workspace")),
            ("content", .property("string", "The complete new content of the file")),
        ], required: ["path", "content"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let path = try arguments.string("path")
        let content = try arguments.string("content")
        let created = try context.workspace.write(path, bytes: Array(content.utf8))
        return ToolResult(output: "\(created ? "created" : "overwrote") '\(path)' (\(content.utf8.count) bytes)",
                          details: ["bytes": .number(Double(content.utf8.count))])
    }
}
