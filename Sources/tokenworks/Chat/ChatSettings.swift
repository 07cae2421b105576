// The settings of one chat session that survive a restart: model, system prompt, agent, speculation, budget,
// theme. Saved with the session so `chat --resume` comes back exactly as it was left.
import Foundation

/// What the user chose for a session, with slash commands or flags.
struct ChatSettings: Codable, Equatable, Sendable {
    /// The GGUF file the session talks to.
    var modelPath: String
    /// Sent as the first message of every plain chat turn; nil for none.
    var systemPrompt: String?
    /// The agent profile that handles turns (`/agent NAME`); nil for plain chat.
    var agent: String?
    /// Speculation mode as `/spec` names it: off, lookup, self or draft.
    var speculation: String
    /// The session budget as typed ("$0.50", "20k"); nil for none.
    var budget: String?
    /// The theme in use.
    var theme: String

    init(modelPath: String, systemPrompt: String? = nil, agent: String? = nil, speculation: String = "off",
         budget: String? = nil, theme: String = "dark") {
        self.modelPath = modelPath
        self.systemPrompt = systemPrompt
        self.agent = agent
        self.speculation = speculation
        self.budget = budget
        self.theme = theme
    }
}
