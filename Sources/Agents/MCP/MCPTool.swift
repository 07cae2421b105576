// A tool of an MCP server as agents see it: a `Tool` beside the built-in ones, named SERVER_TOOL, asking the
// user before each call unless the server's config allows the tool, recorded in the ledger like any tool.
import Foundation
import MCP

/// One tool offered by a running MCP server.
public struct MCPTool: Tool {
    /// The config name of the server.
    public let server: String
    /// The tool's name on the server.
    public let remoteName: String
    /// `SERVER_TOOL`, unique across servers and within the characters OpenAI-style tool names allow.
    public let name: String
    public let summary: String
    public let parameters: JSON
    /// Whether calls run without confirmation.
    public let allowed: Bool
    let connection: MCPConnection

    init(server: MCPServerConfig, tool: MCP.Tool, connection: MCPConnection) {
        self.server = server.name
        self.remoteName = tool.name
        self.name = Self.exposedName(server: server.name, tool: tool.name)
        let description = (tool.description ?? tool.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        self.summary = description.isEmpty ? "Tool \(tool.name) of the MCP server \(server.name)." : description
        var schema = Self.json(tool.inputSchema)
        if case .object(var object) = schema, object["type"] == nil { object["type"] = "object"; schema = .object(object) }
        if schema.objectValue == nil { schema = .objectSchema([], required: []) }
        self.parameters = schema
        self.allowed = server.allows(tool.name)
        self.connection = connection
    }

    /// `server_tool` with anything outside [A-Za-z0-9_-] replaced by `_`, at most 64 characters.
    public static func exposedName(server: String, tool: String) -> String {
        let raw = server + "_" + tool
        let cleaned = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
        return String(cleaned.prefix(64))
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        if !allowed {
            let request = ShellConfirmationRequest(
                command: "MCP \(server): \(remoteName) \(JSON.object(arguments.object).text)",
                directory: context.workspace.root, agent: context.agent)
            guard await context.confirm(request) else { throw AgentsError.mcpCallDeclined(tool: name) }
        }
        var values: [String: Value] = [:]
        for (key, value) in arguments.object.pairs { values[key] = Self.value(value) }
        let (content, isError) = try await connection.call(remoteName, arguments: values)
        let text = content.map(Self.text(of:)).joined(separator: "\n")
        return ToolResult(output: text.isEmpty ? "(no output)" : text, isError: isError,
                          details: ["mcp_server": .string(server), "mcp_tool": .string(remoteName)])
    }

    /// What the model reads of one content item: text as it is, other kinds described.
    static func text(of content: MCP.Tool.Content) -> String {
        switch content {
        case .text(let text, _, _): return text
        case .image(_, let mimeType, _, _): return "[image \(mimeType)]"
        case .audio(_, let mimeType, _, _): return "[audio \(mimeType)]"
        case .resource(let resource, _, _): return resource.text ?? "[resource \(resource.uri)]"
        case .resourceLink(let uri, let name, _, _, _, _): return "[resource \(name): \(uri)]"
        }
    }

    /// An MCP value as our JSON (object keys sorted: MCP values do not keep their order).
    static func json(_ value: Value) -> JSON {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .data(let mimeType, let data): return .string("data:\(mimeType ?? "application/octet-stream");base64,"
                                                          + data.base64EncodedString())
        case .array(let items): return .array(items.map(json))
        case .object(let object):
            return .object(JSONObject(object.keys.sorted().map { ($0, json(object[$0] ?? .null)) }))
        }
    }

    /// Our JSON as an MCP value (whole numbers as integers, as servers' schemas expect).
    static func value(_ json: JSON) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return n == n.rounded() && abs(n) < 9e15 ? .int(Int(n)) : .double(n)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(value))
        case .object(let object):
            var result: [String: Value] = [:]
            for (key, item) in object.pairs { result[key] = value(item) }
            return .object(result)
        }
    }
}
