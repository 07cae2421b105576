// An agent script as loaded from YAML: what it takes (inputs), which models and agents it uses, what it may
// spend, and its steps. Loaded and checked by ScriptLoader; run by ScriptRunner. See examples/README.md.
import Foundation

/// A multi-step agent script.
public struct Script: Sendable {
    /// The file as the user named it (used in messages).
    public var file: String
    /// The file's absolute location (sub-scripts and templates are found relative to it).
    public var url: URL
    /// The `name:` key, else the file name without extension.
    public var name: String
    public var summary: String
    /// Declared inputs, in the order written.
    public var inputs: [ScriptInput]
    /// Model aliases: alias → model reference (a GGUF path or file name; nil is the default model).
    public var models: [String: String?]
    /// Agents by the name steps use: defined in the script, or profiles from the library.
    public var agents: [String: AgentProfile]
    /// What the whole run may spend (sub-scripts are also bounded by their caller's remainder).
    public var budget: Budget
    /// Where `budget:` is written (the place a budget message points to).
    public var budgetLocation: SourceLocation
    public var steps: [ScriptStep]
    /// What the run prints at the end; nil: the output of the last step that ran.
    public var output: ScriptTemplate?

    /// The names of the inputs.
    public var inputNames: [String] { inputs.map(\.name) }
}

/// One input of a script: a value from `--var`, standard input, a file, or its default.
public struct ScriptInput: Sendable {
    /// Where the value comes from when `--var` does not give it.
    public enum Source: Sendable, Equatable {
        /// The default (nil: the input is required).
        case value(JSON?)
        /// Standard input, read whole.
        case stdin
        /// The text of a file; `--var NAME=PATH` names another file.
        case file(String)
    }

    /// How a `--var` text becomes the value.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case string, number, boolean, list, json
    }

    public var name: String
    public var summary: String
    public var source: Source
    public var kind: Kind
    public var location: SourceLocation
}

extension Script {
    /// The agents the steps run, sub-scripts' included (what MCP servers must be started for).
    public var agentProfiles: [AgentProfile] {
        steps.flatMap { step -> [AgentProfile] in
            switch step.action {
            case .agent(let profile, _): return [profile]
            case .script(let sub, _): return sub.agentProfiles
            case .prompt, .tool: return []
            }
        }
    }

    /// Whether some step (or a step of a sub-script) runs on the default model, so a run needs it to exist.
    public var usesDefaultModel: Bool {
        steps.contains { step in
            switch step.action {
            case .prompt(let prompt): return prompt.model == nil
            case .agent(let profile, _): return profile.model == nil
            case .tool(let name, _): return name == "delegate" || name.hasPrefix("ask_")
            case .script(let sub, _): return sub.usesDefaultModel
            }
        }
    }
}
