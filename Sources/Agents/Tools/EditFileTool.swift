// edit_file: replaces one exact occurrence of a piece of text in a workspace file.
// Exact match only, and exactly once, so an edit can never land somewhere the model did not mean.

/// Replaces `old_text` with `new_text` in a file, when `old_text` occurs exactly once.
public struct EditFileTool: Tool {
    /// Files larger than this are not edited (the whole file must be read and written back).
    public var limit: Int

    public init(limit: Int = 4 << 20) { self.limit = limit }

    public var name: String { "edit_file" }
    public var summary: String {
        "Replace an exact piece of text in a workspace file with new text. old_text must occur exactly once."
    }
    public var parameters: JSON {
        .objectSchema([
            ("path", .property("string", "File path relative to the workspace")),
            ("old_text", .property("string", "The exact text to replace, copied from the file")),
            ("new_text", .property("string", "The replacement text")),
        ], required: ["path", "old_text", "new_text"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let path = try arguments.string("path")
        let old = try arguments.string("old_text")
        let new = try arguments.string("new_text")
        guard !old.isEmpty else {
            throw AgentsError.invalidArgument(tool: name, key: "old_text", problem: "must not be empty")
        }
        let contents = try context.workspace.read(path, limit: limit)
        guard !contents.truncated else {
            throw AgentsError.ioFailed(path: path, operation: "edit",
                                       reason: "the file is larger than \(limit) bytes; use write_file instead")
        }
        guard let text = validUTF8(contents.bytes) else {
            throw AgentsError.ioFailed(path: path, operation: "edit", reason: "it is not UTF-8 text")
        }
        let bytes = Array(text.utf8)
        let occurrences = Self.ranges(of: Array(old.utf8), in: bytes)
        guard occurrences.count == 1, let range = occurrences.first else {
            throw AgentsError.editMismatch(path: path, occurrences: occurrences.count)
        }
        var edited = bytes
        edited.replaceSubrange(range, with: Array(new.utf8))
        try context.workspace.write(path, bytes: edited, createDirectories: false)
        return ToolResult(output: "replaced 1 occurrence in '\(path)'")
    }

    /// Non-overlapping byte ranges where `needle` occurs (byte-exact: no Unicode normalisation).
    static func ranges(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var result: [Range<Int>] = []
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<i + needle.count].elementsEqual(needle) {
                result.append(i..<i + needle.count)
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }
}
