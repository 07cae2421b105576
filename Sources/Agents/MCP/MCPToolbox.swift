// The MCP servers of a process: started on first need, their tools listed once, all stopped at the end.
import Foundation

/// Starts configured MCP servers and hands out their tools.
public actor MCPToolbox {
    public let servers: [String: MCPServerConfig]
    private var connections: [String: MCPConnection] = [:]
    private var tools: [String: [MCPTool]] = [:]

    public init(servers: [String: MCPServerConfig]) {
        self.servers = servers
    }

    /// The tools of the named servers, starting those not yet running. A server that fails is reported in
    /// `failures` (its tools are missing; agents that name them get an "unknown tool" error they can read).
    public func tools(of names: [String]) async -> (tools: [MCPTool], failures: [AgentsError]) {
        var result: [MCPTool] = []
        var failures: [AgentsError] = []
        for name in names {
            if let known = tools[name] {
                result += known
                continue
            }
            guard let config = servers[name] else {
                failures.append(.mcpServerFailed(server: name, reason: "it is not configured; add it under "
                                                 + "mcp_servers in config.yaml"))
                continue
            }
            do {
                let connection = try await MCPConnection.start(config)
                let listed = try await connection.listTools()
                let wrapped = listed.map { MCPTool(server: config, tool: $0, connection: connection) }
                connections[name] = connection
                tools[name] = wrapped
                result += wrapped
            } catch {
                failures.append(error)
            }
        }
        return (result, failures)
    }

    /// The MCP servers `profiles` refer to with `mcp:SERVER` or `mcp:SERVER/TOOL` tools.
    public static func servers(named profiles: [AgentProfile]) -> [String] {
        var names: [String] = []
        for profile in profiles {
            for tool in profile.tools where tool.hasPrefix("mcp:") {
                let server = String(tool.dropFirst(4).prefix { $0 != "/" })
                if !server.isEmpty, !names.contains(server) { names.append(server) }
            }
        }
        return names
    }

    /// The tools of every server that `profile`, or any profile of `library` (its possible sub-agents), names.
    public func tools(for profile: AgentProfile, library: ProfileLibrary) async -> (tools: [MCPTool], failures: [AgentsError]) {
        var profiles = [profile]
        for name in library.names() where name != profile.name {
            if let other = try? library.profile(named: name) { profiles.append(other) }
        }
        let names = Self.servers(named: profiles).filter { servers[$0] != nil || Self.servers(named: [profile]).contains($0) }
        return await tools(of: names)
    }

    /// Stops every server started so far.
    public func shutdown() async {
        for connection in connections.values { await connection.stop() }
        connections.removeAll()
        tools.removeAll()
    }
}
