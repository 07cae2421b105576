// What every headless agent command builds the same way (`ask --agent`, `run`): profiles, one engine pool over
// --model (and the remote endpoints of the config file), the ledger (a warning, not a failure, when it cannot be
// opened), prices, MCP tools for the profiles that name servers, and the working directory as the workspace, with
// shell commands confirmed on the terminal.
import Agents
import Foundation
import Ledger

/// The shared setting of a headless agent or script run.
struct AgentSetup {
    let library: ProfileLibrary
    let pool: EnginePool
    let ledger: LedgerStore?
    let environment: AgentEnvironment
    /// The MCP servers started for this command; `shutdown()` stops them.
    let toolbox: MCPToolbox

    /// `profiles` are the ones this command may run: the MCP servers they (or the profiles they delegate to) name
    /// are started for this command only; a server that fails to start is a warning, its tools are left out.
    init(modelOptions: ModelOptions, library: ProfileLibrary = .standard(), profiles: [AgentProfile] = []) async throws {
        self.library = library
        let errors = FileHandle.standardError
        do {
            ledger = try LedgerStore()
        } catch {
            errors.write(Data("tokenworks: warning: running without a ledger: \(error)\n".utf8))
            ledger = nil
        }
        let prices = try? PriceSheet.loadDefault()
        let config = try AgentsConfig.load()
        let pool = EnginePool(defaultModel: modelOptions.modelPath, searchDirectories: [Paths.models],
                              options: modelOptions.engineOptions(), config: config)
        self.pool = pool
        toolbox = MCPToolbox(servers: config.mcpServers)
        var mcpTools: [any Tool] = []
        for profile in profiles {
            let (tools, failures) = await toolbox.tools(for: profile, library: library)
            for failure in failures { errors.write(Data("tokenworks: warning: \(failure)\n".utf8)) }
            for tool in tools where !mcpTools.contains(where: { $0.name == tool.name }) { mcpTools.append(tool) }
        }
        environment = AgentEnvironment(
            workspace: try Workspace(root: FileManager.default.currentDirectoryPath), profiles: library,
            backends: { try await pool.backend(for: $0) }, confirm: askOnTerminal, ledger: ledger, prices: prices,
            customTools: mcpTools)
    }

    /// Stops the MCP servers this command started.
    func shutdown() async {
        await toolbox.shutdown()
    }
}
