// Slash commands typed in the editor (/model, /theme, …): their table, parsing with helpful errors, and what
// each one does (some stay in the UI, the rest become effects for the runtime).
import Foundation

/// A parsed slash command.
public enum SlashCommand: Hashable, Sendable {
    /// Switch model (nil: show the current one).
    case model(String?)
    /// Set the system prompt (nil: show it).
    case system(String?)
    /// Switch agent profile.
    case agent(String)
    /// Run an agent script.
    case run(String)
    /// Set the speculation mode (nil: show it).
    case spec(String?)
    /// Switch theme (nil: list themes).
    case theme(String?)
    /// Set the session budget (nil: show it).
    case budget(String?)
    /// Start a new conversation.
    case clear
    /// Save the transcript (nil: default path).
    case save(String?)
    case help
    case quit

    /// One command's name, usage and one-line summary, for parsing, completion and help.
    public struct Spec: Hashable, Sendable {
        public enum Argument: Hashable, Sendable { case none, optional, required }
        public var name: String
        public var usage: String
        public var summary: String
        public var argument: Argument
    }

    /// Every command, in help order.
    public static let specs: [Spec] = [
        Spec(name: "model", usage: "/model [name]", summary: "switch model or show the current one", argument: .optional),
        Spec(name: "system", usage: "/system [prompt]", summary: "set or show the system prompt", argument: .optional),
        Spec(name: "agent", usage: "/agent <name>", summary: "switch agent profile", argument: .required),
        Spec(name: "run", usage: "/run <script>", summary: "run an agent script", argument: .required),
        Spec(name: "spec", usage: "/spec [off|draft|lookup|self]", summary: "speculative decoding mode", argument: .optional),
        Spec(name: "theme", usage: "/theme [name]", summary: "switch theme or list themes", argument: .optional),
        Spec(name: "budget", usage: "/budget [limit]", summary: "set the session budget ($0.50, 20k)", argument: .optional),
        Spec(name: "clear", usage: "/clear", summary: "start a new conversation", argument: .none),
        Spec(name: "save", usage: "/save [path]", summary: "save the transcript as markdown", argument: .optional),
        Spec(name: "help", usage: "/help", summary: "keys and commands", argument: .none),
        Spec(name: "quit", usage: "/quit", summary: "leave Tokenworks", argument: .none),
    ]

    /// Allowed values of `/spec`.
    public static let speculationModes = ["off", "draft", "lookup", "self"]
    /// Other spellings `/spec` accepts, and the mode each stands for (`none` is what `--spec` takes).
    public static let speculationAliases = ["none": "off"]

    /// Parses editor text that starts with "/". Errors name the command and say what to type instead.
    public static func parse(_ text: String) throws(TUIError) -> SlashCommand {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = trimmed.hasPrefix("/") ? String(trimmed.dropFirst()) : trimmed
        let name: String
        let rest: String
        if let space = body.firstIndex(where: { $0 == " " || $0 == "\n" }) {
            name = String(body[..<space]).lowercased()
            rest = String(body[space...]).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            name = body.lowercased()
            rest = ""
        }
        let argument: String? = rest.isEmpty ? nil : rest
        guard let spec = specs.first(where: { $0.name == name }) else {
            throw .unknownCommand(name: name, suggestion: suggestion(for: name))
        }
        if spec.argument == .required && argument == nil {
            throw .missingArgument(command: name, usage: spec.usage)
        }
        switch name {
        case "model": return .model(argument)
        case "system": return .system(argument)
        case "agent": return .agent(argument ?? "")
        case "run": return .run(argument ?? "")
        case "spec":
            guard let a = argument?.lowercased() else { return .spec(nil) }
            if let mode = speculationAliases[a] { return .spec(mode) }
            if !speculationModes.contains(a) {
                throw .invalidArgument(command: "spec", value: a, allowed: speculationModes)
            }
            return .spec(a)
        case "theme": return .theme(argument)
        case "budget": return .budget(argument)
        case "clear": return .clear
        case "save": return .save(argument)
        case "help": return .help
        default: return .quit
        }
    }

    /// The closest command name (a prefix match, else edit distance ≤ 2), for "did you mean".
    static func suggestion(for name: String) -> String? {
        guard !name.isEmpty else { return nil }
        if let p = specs.first(where: { $0.name.hasPrefix(name) }) { return p.name }
        let scored = specs.map { ($0.name, editDistance($0.name, name)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
