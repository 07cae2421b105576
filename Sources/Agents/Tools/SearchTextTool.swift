// search_text: grep over the workspace — literal text or a regular expression, results and scanning capped.
import Foundation

/// Finds lines matching a pattern in the workspace's text files.
public struct SearchTextTool: Tool {
    /// Independent of other calls in the same reply (read-only, or its own sub-agent run).
    public var runsConcurrently: Bool { true }
    /// Most matching lines reported.
    public var maxMatches: Int
    /// Most files scanned.
    public var maxFiles: Int
    /// Bytes read from each file.
    public var maxFileBytes: Int

    public init(maxMatches: Int = 100, maxFiles: Int = 2_000, maxFileBytes: Int = Workspace.defaultReadLimit) {
        self.maxMatches = maxMatches
        self.maxFiles = maxFiles
        self.maxFileBytes = maxFileBytes
    }

    public var name: String { "search_text" }
    public var summary: String {
        "Search the workspace's text files for lines containing a text (or matching a regular expression when "
            + "regex is true). Returns path:line: text for each match."
    }
    public var parameters: JSON {
        .objectSchema([
            ("pattern", .property("string", "The text to look for")),
            ("path", .property("string", "Folder or file to search, relative to the workspace (default: everything)")),
            ("regex", .property("boolean", "Treat the pattern as a regular expression (default false)")),
            ("ignore_case", .property("boolean", "Ignore upper/lower case (default false)")),
        ], required: ["pattern"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let pattern = try arguments.string("pattern")
        guard !pattern.isEmpty else {
            throw AgentsError.invalidArgument(tool: name, key: "pattern", problem: "must not be empty")
        }
        let path = try arguments.optionalString("path") ?? "."
        let isRegex = try arguments.optionalBool("regex") ?? false
        let ignoreCase = try arguments.optionalBool("ignore_case") ?? false
        let matcher = try LineMatcher(pattern: pattern, regex: isRegex, ignoreCase: ignoreCase)

        let (files, moreFiles) = try context.workspace.files(under: path, limit: maxFiles)
        var lines: [String] = []
        var truncated = false
        scan: for file in files {
            try Task.checkCancellation()
            guard let contents = try? context.workspace.read(file, limit: maxFileBytes),
                  !contents.bytes.prefix(8192).contains(0),  // binary
                  let text = validUTF8(contents.bytes) ?? ReadFileTool.decodeCut(contents) else { continue }
            var number = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                number += 1
                guard matcher.matches(line) else { continue }
                if lines.count >= maxMatches {
                    truncated = true
                    break scan
                }
                let shown = line.count > 200 ? line.prefix(200) + "…" : line
                lines.append("\(file):\(number): \(shown)")
            }
        }
        var output = lines.isEmpty ? "no matches for '\(pattern)'" : lines.joined(separator: "\n")
        if truncated { output += "\n[… truncated: more than \(maxMatches) matches; narrow the search]" }
        if moreFiles { output += "\n[… only the first \(maxFiles) files were searched]" }
        return ToolResult(output: output, details: ["matches": .number(Double(lines.count)),
                                                    "truncated": .bool(truncated || moreFiles)])
    }
}

/// One compiled search: a literal substring or a regular expression, optionally case-insensitive.
struct LineMatcher {
    private let literal: String?
    private let regex: NSRegularExpression?
    private let ignoreCase: Bool

    init(pattern: String, regex isRegex: Bool, ignoreCase: Bool) throws(AgentsError) {
        self.ignoreCase = ignoreCase
        if isRegex {
            do {
                regex = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
            } catch {
                throw AgentsError.invalidPattern(pattern: pattern, reason: "\(error.localizedDescription)")
            }
            literal = nil
        } else {
            regex = nil
            literal = ignoreCase ? pattern.lowercased() : pattern
        }
    }

    func matches(_ line: Substring) -> Bool {
        if let literal {
            return (ignoreCase ? line.lowercased() : String(line)).contains(literal)
        }
        guard let regex else { return false }
        let text = String(line)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
