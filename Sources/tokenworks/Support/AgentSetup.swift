// What every headless agent command builds the same way (`ask --agent`, `run`): profiles, one engine pool over
// --model, the ledger (a warning, not a failure, when it cannot be opened), prices, and the working directory
// as the workspace, with shell commands confirmed on the terminal.
import Agents
import Foundation
import Ledger

/// The shared setting of a headless agent or script run.
struct AgentSetup {
    let library: ProfileLibrary
    let pool: EnginePool
    let ledger: LedgerStore?
    let environment: AgentEnvironment

    init(modelOptions: ModelOptions, library: ProfileLibrary = .standard()) throws {
        self.library = library
        do {
            ledger = try LedgerStore()
        } catch {
            FileHandle.standardError.write(Data("tokenworks: warning: running without a ledger: \(error)\n".utf8))
            ledger = nil
        }
        let prices = try? PriceSheet.loadDefault()
        let pool = EnginePool(defaultModel: modelOptions.modelPath, searchDirectories: [Paths.models],
                              options: modelOptions.engineOptions())
        self.pool = pool
        environment = AgentEnvironment(
            workspace: try Workspace(root: FileManager.default.currentDirectoryPath), profiles: library,
            backends: { try await pool.backend(for: $0) }, confirm: askOnTerminal, ledger: ledger, prices: prices)
    }
}
