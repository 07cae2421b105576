// read_file: the text of one file inside the workspace, capped, with a marker when only part is shown.

/// Reads a UTF-8 text file from the workspace.
public struct ReadFileTool: Tool {
    /// The most a call may ask for (and the default).
    public var limit: Int

    public init(limit: Int = Workspace.defaultReadLimit) { self.limit = limit }

    public var name: String { "read_file" }
    public var summary: String { "Read a text file in the workspace and return its contents." }
    public var parameters: JSON {
        .objectSchema([
            ("path", .property("string", "The file's path in the workspace")),
        ], required: ["path"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let path = try arguments.string("path")
        let contents = try context.workspace.read(path, limit: limit)
        guard let text = validUTF8(contents.bytes) ?? Self.decodeCut(contents) else {
            return ToolResult(output: "'\(path)' is a binary file (\(contents.size) bytes); it cannot be shown as text",
                              isError: true)
        }
        var output = text
        if contents.truncated {
            output += "\n[… truncated: '\(path)' is \(contents.size) bytes, only the first \(contents.bytes.count) are shown]"
        }
        return ToolResult(output: output, details: ["bytes": .number(Double(contents.size)),
                                                    "truncated": .bool(contents.truncated)])
    }

    /// A cap can cut a multi-byte character in two: accept text that is valid except for its last 1–3 bytes.
    static func decodeCut(_ contents: Workspace.FileContents) -> String? {
        guard contents.truncated else { return nil }
        for drop in 1...3 where contents.bytes.count > drop {
            if let text = validUTF8(contents.bytes.dropLast(drop)) { return text }
        }
        return nil
    }
}
