// One step of an agent script: what it does (a model prompt, an agent run, a tool call or a sub-script) and
// how it is controlled (map over a list, condition, retries, a JSON schema its output must match, a budget).

/// A named step; its output is available to later steps as `{{ name }}`.
public struct ScriptStep: Sendable {
    /// What the step does.
    public enum Action: Sendable {
        case prompt(PromptAction)
        /// Runs the agent on the task (its tools, sub-agents and budget included).
        case agent(profile: AgentProfile, task: ScriptTemplate)
        /// Calls one tool directly with these arguments.
        case tool(name: String, arguments: TemplateValue)
        /// Runs another script with these inputs; its output is this step's output.
        case script(Script, vars: [String: TemplateValue])

        /// "prompt", "agent", "tool" or "script".
        public var kind: String {
            switch self {
            case .prompt: return "prompt"
            case .agent: return "agent"
            case .tool: return "tool"
            case .script: return "script"
            }
        }
    }

    public var name: String
    public var location: SourceLocation
    public var action: Action
    /// A list to map the step over (in order); each item is `{{ <itemName> }}`, its 1-based number `{{ loop.index }}`.
    public var forEach: ScriptTemplate?
    public var itemName: String
    /// How many items of a map may run at once (the engine batches concurrent calls); 1 runs them in order.
    public var parallel: Int
    /// The step runs only when this is true (see `JSON.isTruthy`); otherwise its output is null.
    public var when: ScriptTemplate?
    /// Further attempts after a failure (not after a spent budget).
    public var retry: Int
    /// A JSON Schema the output must match; prompt steps are decoded under it.
    public var schema: JSON?
    /// What one run of the step may spend (each map item counts toward the same step budget).
    public var budget: Budget
    public var budgetLocation: SourceLocation
}

/// A model prompt: one call to a model, with no tools.
public struct PromptAction: Sendable {
    /// The user message.
    public var prompt: ScriptTemplate
    public var system: ScriptTemplate?
    /// A GGUF path or file name; nil for the default model.
    public var model: String?
    /// The name the script used for the model (an alias, "default" or the reference itself).
    public var modelName: String
    public var maxTokens: Int
    public var temperature: Double
    public var stop: [String]
}
