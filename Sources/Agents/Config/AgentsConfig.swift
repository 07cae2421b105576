// The user's config file (config.yaml): named remote endpoints and MCP tool servers. Read by the CLI, the
// chat and `serve`; every error names the file, line and key.
import Foundation
internal import Yams

/// What `config.yaml` configures for agents and models.
///
/// ```yaml
/// endpoints:
///   cluster:                       # --model cluster, or model: cluster in a profile
///     base_url: http://gpu-box:8000/v1
///     model: Qwen/Qwen2.5-7B-Instruct
///     api_key_env: CLUSTER_API_KEY
/// mcp_servers:
///   time:                          # tools: [mcp:time] in a profile
///     command: python3
///     args: [-m, mcp_server_time]
///     allow: [get_current_time]    # these run without asking
/// ```
public struct AgentsConfig: Sendable, Equatable {
    public var endpoints: [String: RemoteEndpoint]
    public var mcpServers: [String: MCPServerConfig]
    /// The file it was read from (nil: no file).
    public var file: String?

    public init(endpoints: [String: RemoteEndpoint] = [:], mcpServers: [String: MCPServerConfig] = [:],
                file: String? = nil) {
        self.endpoints = endpoints
        self.mcpServers = mcpServers
        self.file = file
    }

    static let topKeys = ["endpoints", "mcp_servers"]
    static let endpointKeys = ["base_url", "model", "api_key_env", "timeout_seconds", "max_retries",
                               "backoff_seconds", "native_tools", "headers"]
    static let mcpKeys = ["command", "args", "env", "cwd", "allow", "timeout_seconds"]

    /// `$TOKENWORKS_CONFIG`, else `$XDG_CONFIG_HOME/tokenworks/config.yaml`, else `~/.config/tokenworks/config.yaml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["TOKENWORKS_CONFIG"], !explicit.isEmpty { return explicit }
        let base: URL
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            base = URL(fileURLWithPath: xdg)
        } else if let home = environment["HOME"], !home.isEmpty {
            base = URL(fileURLWithPath: home).appendingPathComponent(".config")
        } else {
            base = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        }
        return base.appendingPathComponent("tokenworks/config.yaml").path
    }

    /// The config at `defaultPath()`; an empty config when there is no file.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AgentsError)
        -> AgentsConfig
    {
        let path = defaultPath(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else { return AgentsConfig() }
        return try load(path: path)
    }

    public static func load(path: String) throws(AgentsError) -> AgentsConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AgentsError.configUnreadable(file: path, reason: error.localizedDescription)
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses config YAML; `file` is the name errors use.
    public static func parse(yaml text: String, file: String) throws(AgentsError) -> AgentsConfig {
        if let (line, column) = YAMLNesting.firstTooDeep(text) {
            throw AgentsError.configUnreadable(file: file, reason: "not valid YAML: nested too deeply at line \(line), "
                                               + "column \(column)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return AgentsConfig(file: file) }
            root = node
        } catch {
            throw AgentsError.configUnreadable(file: file, reason: "not valid YAML: \(error)")
        }
        let reader = ConfigReader(file: file)
        let top = try reader.mapping(root, key: "(top level)", allowed: topKeys)
        var config = AgentsConfig(file: file)
        if let node = top["endpoints"] {
            for (name, value) in try reader.entries(node, key: "endpoints") {
                config.endpoints[name] = try endpoint(name, value, reader: reader)
            }
        }
        if let node = top["mcp_servers"] {
            for (name, value) in try reader.entries(node, key: "mcp_servers") {
                config.mcpServers[name] = try mcpServer(name, value, reader: reader)
            }
        }
        return config
    }

    static func endpoint(_ name: String, _ node: Node, reader: ConfigReader) throws(AgentsError) -> RemoteEndpoint {
        let key = "endpoints.\(name)"
        let fields = try reader.mapping(node, key: key, allowed: endpointKeys)
        guard let urlNode = fields["base_url"] else {
            throw AgentsError.configInvalid(file: reader.file, line: reader.line(node), key: key + ".base_url",
                                            problem: "is missing: give the API root, such as http://127.0.0.1:8000/v1")
        }
        let url = try reader.string(urlNode, key: key + ".base_url")
        do {
            try RemoteEndpoint.validate(baseURL: url, reference: name)
        } catch {
            throw AgentsError.configInvalid(file: reader.file, line: reader.line(urlNode), key: key + ".base_url",
                                            problem: "must be an http:// or https:// URL with a host, not '\(url)'")
        }
        guard let modelNode = fields["model"] else {
            throw AgentsError.configInvalid(file: reader.file, line: reader.line(node), key: key + ".model",
                                            problem: "is missing: give the model name the server knows")
        }
        var endpoint = RemoteEndpoint(name: name, baseURL: url, model: try reader.string(modelNode, key: key + ".model"))
        if let n = fields["api_key_env"] { endpoint.apiKeyVariable = try reader.string(n, key: key + ".api_key_env") }
        if let n = fields["timeout_seconds"] {
            endpoint.timeout = try reader.number(n, key: key + ".timeout_seconds", minimum: 0.001)
        }
        if let n = fields["max_retries"] { endpoint.maxRetries = try reader.int(n, key: key + ".max_retries", minimum: 0) }
        if let n = fields["backoff_seconds"] {
            endpoint.backoff = try reader.number(n, key: key + ".backoff_seconds", minimum: 0)
        }
        if let n = fields["native_tools"] { endpoint.nativeTools = try reader.bool(n, key: key + ".native_tools") }
        if let n = fields["headers"] {
            for (header, value) in try reader.entries(n, key: key + ".headers") {
                endpoint.headers[header] = try reader.string(value, key: key + ".headers." + header)
            }
        }
        return endpoint
    }

    static func mcpServer(_ name: String, _ node: Node, reader: ConfigReader) throws(AgentsError) -> MCPServerConfig {
        let key = "mcp_servers.\(name)"
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw AgentsError.configInvalid(file: reader.file, line: reader.line(node), key: key,
                                            problem: "must be named with letters, digits, '-' or '_'")
        }
        let fields = try reader.mapping(node, key: key, allowed: mcpKeys)
        guard let commandNode = fields["command"] else {
            throw AgentsError.configInvalid(file: reader.file, line: reader.line(node), key: key + ".command",
                                            problem: "is missing: give the program that starts the server")
        }
        var server = MCPServerConfig(name: name, command: try reader.string(commandNode, key: key + ".command"))
        if let n = fields["args"] { server.arguments = try reader.stringList(n, key: key + ".args") }
        if let n = fields["env"] {
            for (variable, value) in try reader.entries(n, key: key + ".env") {
                server.environment[variable] = try reader.string(value, key: key + ".env." + variable)
            }
        }
        if let n = fields["cwd"] { server.directory = try reader.string(n, key: key + ".cwd") }
        if let n = fields["allow"] { server.allow = try reader.stringList(n, key: key + ".allow") }
        if let n = fields["timeout_seconds"] {
            server.timeout = try reader.number(n, key: key + ".timeout_seconds", minimum: 0.001)
        }
        return server
    }

    /// The remote endpoint `reference` names: an inline `MODEL@URL`, or an endpoint of this config; nil for
    /// anything else (a GGUF path or file name).
    public func remoteEndpoint(for reference: String) throws(AgentsError) -> RemoteEndpoint? {
        if RemoteEndpoint.isInlineReference(reference) { return try RemoteEndpoint.inline(reference) }
        return endpoints[reference]
    }
}

/// Typed reads of config YAML nodes whose errors name the file, line and key.
struct ConfigReader {
    let file: String

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    func invalid(_ node: Node, _ key: String, _ problem: String) -> AgentsError {
        .configInvalid(file: file, line: line(node), key: key, problem: problem)
    }

    /// The entries of a mapping, in file order, keys as strings.
    func entries(_ node: Node, key: String) throws(AgentsError) -> [(String, Node)] {
        guard let mapping = node.mapping else { throw invalid(node, key, "must be a mapping, found \(describe(node))") }
        var result: [(String, Node)] = []
        for (k, v) in mapping {
            guard let name = k.scalar?.string, !name.isEmpty else { throw invalid(k, key, "has a key that is not a name") }
            result.append((name, v))
        }
        return result
    }

    func mapping(_ node: Node, key: String, allowed: [String]) throws(AgentsError) -> [String: Node] {
        var result: [String: Node] = [:]
        for (name, value) in try entries(node, key: key) {
            let shown = key == "(top level)" ? name : key + "." + name
            guard allowed.contains(name) else {
                throw invalid(value, shown, "is not a known key; allowed keys: \(allowed.joined(separator: ", "))")
            }
            result[name] = value
        }
        return result
    }

    func string(_ node: Node, key: String) throws(AgentsError) -> String {
        guard let scalar = node.scalar else { throw invalid(node, key, "must be a string, found \(describe(node))") }
        return scalar.string
    }

    func stringList(_ node: Node, key: String) throws(AgentsError) -> [String] {
        guard let sequence = node.sequence else { throw invalid(node, key, "must be a list, found \(describe(node))") }
        var result: [String] = []
        for item in sequence { result.append(try string(item, key: key)) }
        return result
    }

    func int(_ node: Node, key: String, minimum: Int) throws(AgentsError) -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string), value >= minimum else {
            throw invalid(node, key, "must be a whole number ≥ \(minimum), found \(describe(node))")
        }
        return value
    }

    func number(_ node: Node, key: String, minimum: Double) throws(AgentsError) -> Double {
        guard let scalar = node.scalar, let value = Double(scalar.string), value.isFinite, value >= minimum else {
            throw invalid(node, key, "must be a number ≥ \(JSON.format(number: minimum)), found \(describe(node))")
        }
        return value
    }

    func bool(_ node: Node, key: String) throws(AgentsError) -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true"?, "yes"?, "on"?: return true
        case "false"?, "no"?, "off"?: return false
        default: throw invalid(node, key, "must be true or false, found \(describe(node))")
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}
