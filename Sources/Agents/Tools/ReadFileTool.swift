// read_file: the text of one file inside the workspace, capped, with a marker when only part is shown.

/// Reads a UTF-8 text file from the workspace.
public struct ReadFileTool: Tool {
    /// Independent of other calls in the same reply (read-only, or its own sub-agent run).
    public var runsConcurrently: Bool { true }
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

    /// `path` is one of the workspace's files when there are at most 64 of them.
    public func parameters(in workspace: Workspace) -> JSON {
        guard let (files, truncated) = try? workspace.files(under: ".", limit: 64), !truncated else { return parameters }
        return parameters.restricting("path", to: files)
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let path = try arguments.string("path")
        let contents = try Self.read(path, limit: limit, in: context.workspace)
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

    /// Reads `path`; a missing file's error lists the files nearby.
    static func read(_ path: String, limit: Int, in workspace: Workspace) throws(AgentsError) -> Workspace.FileContents {
        do {
            return try workspace.read(path, limit: limit)
        } catch {
            guard case .notFound(let missing, _) = error else { throw error }
            throw .notFound(path: missing, nearby: nearbyFiles(of: missing, in: workspace))
        }
    }

    /// Up to 20 files in the folder where `path` was looked for, so the model can pick the right name.
    static func nearbyFiles(of path: String, in workspace: Workspace) -> [String] {
        let parts = (try? Workspace.components(of: path)) ?? []
        var folder = parts.dropLast()
        while true {
            let name = folder.joined(separator: "/")
            if let entries = try? workspace.list(name) {
                return entries.filter { $0.kind == .file }.prefix(20)
                    .map { name.isEmpty ? $0.name : name + "/" + $0.name }
            }
            guard !folder.isEmpty else { return [] }
            folder = folder.dropLast()
        }
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
