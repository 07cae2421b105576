// How one chat request becomes a generation: the prompt tokens (tools rendered by the model's own template,
// or described in the system prompt with a grammar forcing a valid call), the parameters, and how to read the
// reply back into content and tool calls.
import Agents
import Inference
import Jinja

/// The prompt and parameters of one chat completion, and how its output is interpreted.
struct ChatPlan {
    /// How tool calls are recognised in the output.
    enum ToolMode: Equatable {
        /// No tools: the output is the content.
        case none
        /// The template rendered the tools; calls come back as `<tool_call>{…}</tool_call>` blocks.
        case native
        /// The JSON tool protocol under a grammar: the output is one object, a call or `{"answer": …}`.
        case json
    }

    var tokens: [TokenID]
    var parameters: GenerationParameters
    var toolMode: ToolMode
    /// Text the reply is continued from (an assistant prefill); not part of the returned content.
    var prefix: String

    /// Builds the plan for `request` on `engine`.
    /// - Parameters:
    ///   - nativeTools: whether the engine's template renders tools.
    ///   - maxTokensLimit: the server's cap on generated tokens.
    static func make(_ request: ChatCompletionRequest, engine: InferenceEngine, nativeTools: Bool,
                     maxTokensLimit: Int) throws(ServerError) -> ChatPlan {
        var messages = request.messages
        var tools: [JinjaValue]?
        var mode = ToolMode.none
        var grammarSchema = request.responseSchema
        let useTools = !request.tools.isEmpty && request.toolChoice != .none
        var offered = request.tools
        if case .function(let name) = request.toolChoice { offered = offered.filter { $0.name == name } }

        if useTools && nativeTools && request.responseSchema == nil {
            mode = .native
            do {
                tools = try offered.map { spec in
                    ToolDefinition(name: spec.name, description: spec.summary,
                                   parameters: try JinjaValue(json: spec.parameters.text)).jinjaValue
                }
            } catch {
                throw ServerError.invalidField(field: "tools", problem: "has a parameters schema that cannot be read: \(error)")
            }
        } else if useTools {
            mode = .json
            messages = jsonProtocolMessages(messages, tools: offered)
            let required = request.toolChoice == .required || { if case .function = request.toolChoice { return true }; return false }()
            grammarSchema = ToolCallFormat.json.replySchema(tools: offered, toolRequired: required)
        }

        // A trailing assistant message is a prefill: the reply continues it.
        var prefix = ""
        if mode != .json, let last = messages.last, last.role == "assistant", last.toolCalls.isEmpty,
           case .text(let text)? = last.content {
            prefix = text
            messages.removeLast()
        }

        var tokens: [TokenID]
        do {
            if prefix.isEmpty {
                tokens = try engine.chatTokens(messages: messages, tools: tools)
            } else {
                let text = try engine.chatPrompt(messages: messages, tools: tools) + prefix
                tokens = engine.tokenizer.encode(text, addSpecial: false, parseSpecial: true)
                if engine.tokenizer.vocabulary.addBOS, let bos = engine.tokenizer.bos, tokens.first != bos {
                    tokens.insert(bos, at: 0)
                }
            }
        } catch {
            throw ServerError.invalidField(field: "messages", problem: "cannot be rendered with the model's chat template: \(error)")
        }

        let room = engine.contextSize - tokens.count
        if let asked = request.maxTokens, asked > room {
            throw ServerError.contextOverflow(promptTokens: tokens.count, maxTokens: asked, contextSize: engine.contextSize)
        }
        guard room >= 1 else {
            throw ServerError.contextOverflow(promptTokens: tokens.count, maxTokens: request.maxTokens ?? 1,
                                              contextSize: engine.contextSize)
        }
        var parameters = GenerationParameters(maxTokens: request.maxTokens ?? min(room, maxTokensLimit),
                                              sampling: request.sampling, stopSequences: request.stop)
        if let schema = grammarSchema {
            do {
                parameters.grammar = try JSONSchemaGrammar.grammar(schemaJSON: schema.text)
            } catch {
                throw ServerError.invalidField(field: mode == .json ? "tools" : "response_format",
                                               problem: "has a JSON Schema this server cannot enforce: \(error)")
            }
        }
        return ChatPlan(tokens: tokens, parameters: parameters, toolMode: mode, prefix: prefix)
    }

    /// The conversation for the JSON tool protocol: the tools described in the system prompt, earlier calls
    /// written as the protocol's objects, and results as user messages (templates without tools know no
    /// `tool` role).
    static func jsonProtocolMessages(_ messages: [ChatMessage], tools: [ToolSpec]) -> [ChatMessage] {
        var names: [String: String] = [:]
        var result: [ChatMessage] = []
        var system = ""
        for message in messages {
            switch message.role {
            case "system", "developer":
                system += (system.isEmpty ? "" : "\n\n") + text(of: message)
            case "assistant" where !message.toolCalls.isEmpty:
                let calls = message.toolCalls.map { call -> String in
                    if let id = call.id { names[id] = call.name }
                    let arguments = (try? JSON(parsing: call.arguments.jsonString() ?? "{}")) ?? .object(JSONObject())
                    let object: JSON = ["tool": .string(call.name), "arguments": arguments]
                    return object.text
                }
                result.append(.assistant(calls.joined(separator: "\n")))
            case "tool":
                let name = message.name ?? message.toolCallID.flatMap { names[$0] } ?? "the tool"
                result.append(.user("Result of \(name):\n\(text(of: message))"))
            default:
                result.append(message)
            }
        }
        let prompt = ToolCallFormat.json.systemPrompt(base: system, tools: tools)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return [.system(prompt)] + result
    }

    static func text(of message: ChatMessage) -> String {
        switch message.content {
        case .text(let text)?: return text
        case .parts(let parts)?: return parts.compactMap(\.text).joined()
        case .null?, nil: return ""
        }
    }

    /// The reply's content and tool calls.
    func interpret(_ output: String) -> (content: String?, calls: [(name: String, arguments: JSON)]) {
        switch toolMode {
        case .none:
            return (output, [])
        case .native:
            let (text, calls) = RemoteBackend.splitToolCalls(output)
            return (calls.isEmpty ? output : (text.isEmpty ? nil : text), calls)
        case .json:
            switch ToolCallFormat.json.parse(output) {
            case .answer(let answer): return (answer, [])
            case .toolCall(let name, let arguments): return (nil, [(name, .object(arguments))])
            case .toolCalls(let calls): return (nil, calls.map { ($0.name, .object($0.arguments)) })
            case .malformed: return (output, [])
            }
        }
    }
}
