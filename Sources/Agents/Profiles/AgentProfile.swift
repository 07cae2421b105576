// An agent as the user defines it: which model, which system prompt, which tools, how much it may spend.
// Loaded from prompts/agents/*.yaml and ~/.config/tokenworks/agents/*.yaml (see AgentProfile+YAML).
import Foundation
import Ledger

/// One agent: a model, a system prompt, a set of tools and a budget.
public struct AgentProfile: Sendable, Equatable {
    /// The name used on the command line (`--agent NAME`) and in `ask_NAME` tools.
    public var name: String
    /// What the agent is good for; a parent agent reads it in the description of `ask_NAME`.
    public var summary: String
    /// A GGUF path or file name; nil for the default model.
    public var model: String?
    /// The system prompt's text, tool descriptions not included (the tool-call format adds them).
    public var systemPrompt: String
    /// Tool names: built-in tools and `ask_PROFILE` for sub-agents.
    public var tools: [String]
    public var budget: Budget
    /// Longest reply of one model call, in tokens.
    public var maxTokensPerCall: Int
    /// 0 is greedy decoding (reproducible); above 0 samples.
    public var temperature: Double
    /// Repetition penalty over recent tokens (1 disables).
    public var repetitionPenalty: Double = 1
    /// How tool calls are written by the model.
    public var toolFormat: ToolFormatChoice
    /// Constrain replies with a grammar built from the tools' schemas, when the backend can.
    public var constrained: Bool
    /// The first reply must be a tool call (OpenAI's `tool_choice: "required"` for the first turn): small models
    /// otherwise guess an answer instead of looking it up.
    public var toolFirst: Bool
    /// Shell commands that run without asking the user.
    public var shellAllowList: [String]
    /// Seconds a shell command may run.
    public var shellTimeout: Double
    /// Longest tool result shown to the model, in UTF-8 bytes (the rest is cut and marked).
    public var resultLimit: Int
    /// The file the profile was read from (nil for profiles built in code).
    public var file: String?
    /// At most this many of one reply's independent calls (sub-agents, read-only tools) run at once; sub-agents
    /// on the same in-process model then share its forward passes (continuous batching). 1 runs them one after
    /// another.
    public var maxParallel: Int = 4
    /// Tell the model it may make several calls in one reply (the JSON protocol's `{"calls": [...]}`, also
    /// admitted by the constraining grammar). Replies with several calls are run either way.
    public var parallelCalls: Bool = false

    public init(name: String, summary: String = "", model: String? = nil, systemPrompt: String,
                tools: [String] = [], budget: Budget = AgentProfile.defaultBudget, maxTokensPerCall: Int = 256,
                temperature: Double = 0, toolFormat: ToolFormatChoice = .auto, constrained: Bool = true,
                toolFirst: Bool = false,
                shellAllowList: [String] = [], shellTimeout: Double = 30, resultLimit: Int = 4_000,
                file: String? = nil) {
        self.name = name
        self.summary = summary
        self.model = model
        self.systemPrompt = systemPrompt
        self.tools = tools
        self.budget = budget
        self.maxTokensPerCall = maxTokensPerCall
        self.temperature = temperature
        self.toolFormat = toolFormat
        self.constrained = constrained
        self.toolFirst = toolFirst
        self.shellAllowList = shellAllowList
        self.shellTimeout = shellTimeout
        self.resultLimit = resultLimit
        self.file = file
    }

    /// What an agent may spend when its profile says nothing: enough for a few tool calls, never runaway.
    public static let defaultBudget = Budget(maxSteps: 8, maxTokens: 20_000, maxCost: nil, maxSeconds: 300,
                                             maxDepth: 2)

    /// The built-in tools, by name (sub-agent tools `ask_NAME` come from profiles).
    public static let builtinToolNames = ["read_file", "write_file", "edit_file", "list_dir", "search_text",
                                          "run_shell", "calculator"]
}

/// Which tool-call protocol a profile asks for.
public enum ToolFormatChoice: String, Sendable, Equatable, CaseIterable {
    /// Our JSON protocol for models without native tool support, the model's own format otherwise.
    case auto
    /// One JSON object per reply: {"tool": …, "arguments": …} or {"answer": …}.
    case json
    /// The model's chat template's own tool-call format (Qwen2.5's `<tool_call>`).
    case native
}
