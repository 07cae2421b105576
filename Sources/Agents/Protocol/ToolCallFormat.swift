// How tool calls are written: our JSON protocol for models without native tool support (SmolLM2), or the
// model's own format (Qwen2.5's <tool_call>). A small strategy type: prompt, render, schema and parse.

/// The protocol a model uses to call tools and to answer.
///
/// `json`: the tools are described in the system prompt and every reply is ONE JSON object, either
/// `{"tool": NAME, "arguments": {...}}` or `{"answer": TEXT}`. Its JSON Schema (`replySchema`) has one
/// alternative per tool (its name as a constant, its own argument schema) plus the answer, so a grammar built
/// from it admits exactly the valid replies. Tool results go back as user messages, because small models'
/// templates know only system/user/assistant.
///
/// `qwen`: tools are passed to the chat template, calls are `<tool_call>{"name": …, "arguments": …}</tool_call>`
/// and results go back with the `tool` role; any other reply is the answer.
public enum ToolCallFormat: Sendable, Equatable {
    case json(instructions: String)
    case qwen

    /// The JSON protocol with the built-in instructions.
    public static let json = ToolCallFormat.json(instructions: ToolCallFormat.defaultJSONInstructions)

    /// The wording of prompts/system/tools-json.md, used when that file cannot be found. `{{tools}}` is replaced
    /// by one line per tool. Tuned on bench/agent-eval for SmolLM2-135M-Instruct.
    public static let defaultJSONInstructions = """
        You can use these tools:
        {{tools}}

        Reply with one JSON object and nothing else.
        To use a tool, the object has the keys "tool" (the tool's name) and "arguments".
        To give the final answer, the object has the key "answer".
        """

    /// Chooses the format for a profile's choice and a backend's abilities.
    public static func choose(_ choice: ToolFormatChoice, nativeAvailable: Bool,
                              jsonInstructions: String = defaultJSONInstructions) -> ToolCallFormat {
        switch choice {
        case .json: return .json(instructions: jsonInstructions)
        case .native: return .qwen
        case .auto: return nativeAvailable ? .qwen : .json(instructions: jsonInstructions)
        }
    }

    /// Whether the tools go to the chat template (native formats) rather than into the prompt text.
    public var passesToolsToTemplate: Bool { self == .qwen }

    /// The system prompt: the profile's text, plus the tool instructions for the JSON protocol. With `parallel`
    /// (a profile's `parallel_calls`), one more sentence tells the model it may make several calls in one reply.
    public func systemPrompt(base: String, tools: [ToolSpec], parallel: Bool = false) -> String {
        switch self {
        case .qwen: return base
        case .json(let instructions):
            guard !tools.isEmpty else { return base + "\n\n" + "Reply with {\"answer\": \"YOUR ANSWER\"}." }
            let lines = tools.map { Self.describe($0) }.joined(separator: "\n")
            var text = base + "\n\n" + instructions.replacingOccurrences(of: "{{tools}}", with: lines)
            if parallel { text += "\n" + Self.parallelInstruction }
            return text
        }
    }

    /// How the JSON protocol's several-calls form is explained to the model.
    public static let parallelInstruction = """
        To use several tools at once, the object has the key "calls": a list of objects with "tool" and "arguments".
        """

    /// One line per tool: `- name: summary Arguments: {"key": type, …}`.
    static func describe(_ tool: ToolSpec) -> String {
        let properties = tool.parameters["properties"]?.objectValue ?? JSONObject()
        let required = Set((tool.parameters["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let arguments = properties.pairs.map { pair -> String in
            let type = pair.value["type"]?.stringValue ?? "value"
            var what = type
            if let description = pair.value["description"]?.stringValue { what += ", " + description.lowercased() }
            if let values = pair.value["enum"]?.arrayValue {
                what += ", one of: " + values.map { $0.stringValue ?? $0.text }.joined(separator: ", ")
            }
            if !required.contains(pair.key) { what += ", optional" }
            return "\"\(pair.key)\": <\(what)>"
        }.joined(separator: ", ")
        return "- \(tool.name): \(tool.summary) Arguments: {\(arguments)}"
    }

    /// The conversation in the roles the model's template takes.
    public func render(_ conversation: [AgentMessage]) -> [AgentMessage] {
        switch self {
        case .qwen: return conversation
        case .json:
            return conversation.map { message in
                guard case .tool(let name) = message.role else { return message }
                return AgentMessage(.user, "Result of \(name):\n\(message.content)")
            }
        }
    }

    /// The JSON Schema every reply must satisfy (nil for formats that mix free text and calls). With
    /// `toolRequired` the answer is not among the alternatives (OpenAI's `tool_choice: "required"`).
    /// `maxCalls` above 1 adds the several-calls form, `{"calls": [call, …]}` with 2…maxCalls calls.
    public func replySchema(tools: [ToolSpec], toolRequired: Bool = false, answerRequired: Bool = false,
                            maxCalls: Int = 1) -> JSON? {
        guard case .json = self else { return nil }
        let calls: [JSON] = tools.map { tool in
            .objectSchema([("tool", ["const": .string(tool.name)]), ("arguments", tool.parameters)],
                          required: ["tool", "arguments"])
        }
        var alternatives: [JSON] = answerRequired ? [] : calls
        if !answerRequired && maxCalls > 1 && !calls.isEmpty {
            let item: JSON = calls.count == 1 ? calls[0] : ["anyOf": .array(calls)]
            let list: JSON = ["type": "array", "items": item, "minItems": 2, "maxItems": .number(Double(maxCalls))]
            alternatives.append(.objectSchema([("calls", list)], required: ["calls"]))
        }
        if !toolRequired || tools.isEmpty || answerRequired {
            alternatives.append(.objectSchema([("answer", ["type": "string", "minLength": 1])], required: ["answer"]))
        }
        return alternatives.count == 1 ? alternatives[0] : ["anyOf": .array(alternatives)]
    }

    /// Where an unconstrained reply is cut: the JSON protocol's replies end with `"}` (the last string closes,
    /// then its object); the lenient reader closes whatever the cut left open. Bounds runaway generations.
    public func stopSequences(constrained: Bool) -> [String] {
        guard case .json = self, !constrained else { return [] }
        return ["\"}"]
    }

    /// How an unconstrained reply is started for the model: `{"` so it writes JSON, or `{"tool": "` when a
    /// tool call is required. Empty for native formats.
    public func responsePrefix(toolRequired: Bool, answerRequired: Bool = false) -> String {
        guard case .json = self else { return "" }
        if answerRequired { return "{\"answer\": \"" }
        return toolRequired ? "{\"tool\": \"" : "{\""
    }

    /// What a reply means.
    public func parse(_ reply: String) -> ParsedReply {
        switch self {
        case .json: return ToolCallParser.parseJSONReply(reply)
        case .qwen: return ToolCallParser.parseQwenReply(reply)
        }
    }
}
