// Tab completion of slash commands and their arguments: the first Tab completes (or lists several matches),
// further Tabs cycle through them.

/// An open completion: the candidates and which one is shown.
public struct CompletionState: Hashable, Sendable {
    /// Editor text before the completed word.
    public var prefix: String
    /// Full words that match, in order.
    public var candidates: [String]
    /// The candidate currently in the editor.
    public var index: Int
    /// Text appended after a candidate (" " for command names that take arguments).
    public var suffix: String

    /// The editor text for the current candidate.
    public var text: String { prefix + candidates[index] + suffix }
}

/// Computes completions for editor text.
public enum SlashCompleter {
    /// Values offered for command arguments.
    public struct Catalog: Hashable, Sendable {
        public var themes: [String]
        public var models: [String]
        public var agents: [String]
        public init(themes: [String] = [], models: [String] = [], agents: [String] = []) {
            self.themes = themes
            self.models = models
            self.agents = agents
        }
    }

    /// Completion for `text` (which must start with "/"), or nil when nothing matches.
    ///
    /// "/th" → command names starting with "th"; "/theme d" → theme names starting with "d"; "/spec " → the
    /// speculation modes. A single match completes at once; several open a cycling list.
    public static func complete(_ text: String, catalog: Catalog) -> CompletionState? {
        guard text.hasPrefix("/"), !text.contains("\n") else { return nil }
        let body = text.dropFirst()
        if let space = body.firstIndex(of: " ") {
            let command = String(body[..<space]).lowercased()
            let argument = String(body[body.index(after: space)...])
            guard !argument.contains(" ") || command == "system" else { return nil }
            let options: [String]
            switch command {
            case "theme": options = catalog.themes
            case "model": options = catalog.models
            case "agent": options = catalog.agents
            case "spec": options = SlashCommand.speculationModes
            default: return nil
            }
            let matches = options.filter { $0.lowercased().hasPrefix(argument.lowercased()) }
            guard !matches.isEmpty else { return nil }
            return CompletionState(prefix: "/" + command + " ", candidates: matches, index: 0, suffix: "")
        }
        let partial = body.lowercased()
        let specs = SlashCommand.specs.filter { $0.name.hasPrefix(partial) }
        guard !specs.isEmpty else { return nil }
        let suffix = specs.count == 1 && specs[0].argument != .none ? " " : ""
        return CompletionState(prefix: "/", candidates: specs.map(\.name), index: 0, suffix: suffix)
    }
}
