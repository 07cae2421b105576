// list_dir: the entries of one workspace directory, folders marked with a slash, links shown but not followed.

/// Lists a directory of the workspace.
public struct ListDirTool: Tool {
    /// Independent of other calls in the same reply (read-only, or its own sub-agent run).
    public var runsConcurrently: Bool { true }
    /// At most this many entries are shown.
    public var limit: Int

    public init(limit: Int = 500) { self.limit = limit }

    public var name: String { "list_dir" }
    public var summary: String { "List the files and folders in a workspace directory (use \".\" for the top)." }
    public var parameters: JSON {
        .objectSchema([
            ("path", .property("string", "Directory path relative to the workspace; \".\" is the workspace itself")),
        ], required: ["path"])
    }

    /// `path` is "." or one of the workspace's folders (at most 64 of them; deeper ones are found by listing).
    public func parameters(in workspace: Workspace) -> JSON {
        let folders = ((try? workspace.list(".")) ?? []).filter { $0.kind == .directory }.map(\.name)
        return parameters.restricting("path", to: ["."] + folders)
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let path = try arguments.optionalString("path") ?? "."
        let entries = try context.workspace.list(path)
        if entries.isEmpty { return ToolResult(output: "'\(path)' is empty") }
        var lines: [String] = []
        for entry in entries.prefix(limit) {
            switch entry.kind {
            case .directory: lines.append(entry.name + "/")
            case .file: lines.append("\(entry.name) (\(entry.size) bytes)")
            case .symlink: lines.append(entry.name + " (symbolic link, not followed)")
            case .other: lines.append(entry.name + " (special file)")
            }
        }
        if entries.count > limit { lines.append("[… truncated: \(entries.count - limit) more entries not shown]") }
        return ToolResult(output: lines.joined(separator: "\n"), details: ["entries": .number(Double(entries.count))])
    }
}
