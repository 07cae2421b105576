// What every agent of a run shares: the workspace, where profiles and models come from, the user (for
// confirmations), the ledger and the price sheet. Built once by the CLI, the TUI or a test.
import Foundation
import Ledger

/// Returns the backend that serves a profile's model (loading it on first use, sharing it afterwards).
public typealias BackendProvider = @Sendable (AgentProfile) async throws -> any ModelBackend

/// The shared setting of an agent run and its sub-agents.
public struct AgentEnvironment: Sendable {
    public var workspace: Workspace
    /// Where `ask_NAME` and `delegate` find sub-agent profiles.
    public var profiles: ProfileLibrary
    public var backends: BackendProvider
    public var confirm: ConfirmationHandler
    /// Every model and tool call is written here as it ends (nil: no ledger).
    public var ledger: LedgerStore?
    /// Prices for local and cloud-equivalent costs (nil: costs are zero and cost budgets never run out).
    public var prices: PriceSheet?
    /// The cloud model calls are compared against (nil: the price sheet's default).
    public var comparisonModel: String?
    public var sessionID: String?
    /// Tools beyond the built-in ones, found by name before them (extensions, tests).
    public var customTools: [any Tool]
    /// The JSON protocol's instructions (prompts/system/tools-json.md when found).
    public var jsonInstructions: String
    /// Budget warnings are sent when use passes this fraction of a limit.
    public var warningFraction: Double

    public init(workspace: Workspace, profiles: ProfileLibrary = .standard(), backends: @escaping BackendProvider,
                confirm: @escaping ConfirmationHandler = { _ in false }, ledger: LedgerStore? = nil,
                prices: PriceSheet? = nil, comparisonModel: String? = nil, sessionID: String? = nil,
                customTools: [any Tool] = [], jsonInstructions: String? = nil, warningFraction: Double = 0.8) {
        self.workspace = workspace
        self.profiles = profiles
        self.backends = backends
        self.confirm = confirm
        self.ledger = ledger
        self.prices = prices
        self.comparisonModel = comparisonModel
        self.sessionID = sessionID
        self.customTools = customTools
        self.jsonInstructions = jsonInstructions ?? Self.loadJSONInstructions(from: profiles.promptDirectories)
        self.warningFraction = warningFraction
    }

    /// prompts/system/tools-json.md from the first prompt folder that has it, else the built-in wording.
    public static func loadJSONInstructions(from directories: [URL]) -> String {
        for directory in directories {
            let url = directory.appendingPathComponent("tools-json.md")
            if let text = try? String(contentsOf: url, encoding: .utf8), text.contains("{{tools}}") {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return ToolCallFormat.defaultJSONInstructions
    }
}
