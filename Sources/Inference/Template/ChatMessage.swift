// One turn of an OpenAI/Hugging Face-shaped conversation, as chat templates receive it.
import Jinja

/// A conversation turn: a role, its content, and for assistants the tool calls they made or for `tool` turns the
/// call they answer. The shape follows what transformers passes to chat templates (content as a string or a list
/// of `{type: "text", text}` parts; `tool_calls[].function.arguments` as an object), because templates index
/// exactly those keys.
///
/// ```swift
/// let turns = [ChatMessage.system("You are terse."), .user("Weather in Paris?"),
///              .assistant(toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: ["city": "Paris"])]),
///              .tool("{\"temp\": 21}", callID: "call_1", name: "get_weather")]
/// ```
public struct ChatMessage: Sendable, Equatable {
    /// `system`, `user`, `assistant`, `tool` (or any role a template understands, such as `developer`).
    public var role: String
    /// The text, a list of parts, or nil (an assistant turn that only calls tools); nil leaves the key out.
    public var content: ChatContent?
    /// The tools an assistant turn calls; empty leaves `tool_calls` out.
    public var toolCalls: [ToolCall]
    /// For `tool` turns: the id of the call this result answers (`tool_call_id`).
    public var toolCallID: String?
    /// For `tool` turns: the function's name (`name`).
    public var name: String?
    /// Thinking text of an assistant turn (`reasoning_content`), which reasoning templates render or drop.
    public var reasoningContent: String?
    /// Further keys passed to the template verbatim, after the ones above.
    public var extra: [(key: String, value: JinjaValue)]

    public init(role: String, content: ChatContent?, toolCalls: [ToolCall] = [], toolCallID: String? = nil,
                name: String? = nil, reasoningContent: String? = nil, extra: [(key: String, value: JinjaValue)] = [])
    {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
        self.reasoningContent = reasoningContent
        self.extra = extra
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: .text(text)) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: .text(text)) }

    public static func assistant(_ text: String? = nil, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: "assistant", content: text.map(ChatContent.text), toolCalls: toolCalls)
    }

    public static func tool(_ result: String, callID: String?, name: String? = nil) -> ChatMessage {
        ChatMessage(role: "tool", content: .text(result), toolCallID: callID, name: name)
    }

    /// The message as the dictionary a template sees: `role`, `content`, `reasoning_content`, `tool_calls`,
    /// `tool_call_id`, `name`, then `extra`, in that order (the order `|tojson` prints them).
    public var jinjaValue: JinjaValue {
        var object = JinjaObject()
        object["role"] = .string(role)
        switch content {
        case .text(let text)?: object["content"] = .string(text)
        case .parts(let parts)?: object["content"] = .array(parts.map(\.jinjaValue))
        case .null?: object["content"] = JinjaValue.none
        case nil: break
        }
        if let reasoningContent { object["reasoning_content"] = .string(reasoningContent) }
        if !toolCalls.isEmpty { object["tool_calls"] = .array(toolCalls.map(\.jinjaValue)) }
        if let toolCallID { object["tool_call_id"] = .string(toolCallID) }
        if let name { object["name"] = .string(name) }
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    public static func == (lhs: ChatMessage, rhs: ChatMessage) -> Bool {
        lhs.jinjaValue == rhs.jinjaValue
    }
}

extension ChatMessage {
    /// Reads an OpenAI-style message object (`{"role": …, "content": …, "tool_calls": […]}`); a tool call's
    /// `arguments` given as a JSON string (the OpenAI wire format) is parsed into an object, as chat templates
    /// expect. Unknown keys are kept in ``extra``.
    ///
    /// - Throws: ``InferenceError/invalidParameter(name:value:expected:)`` naming the message and key that is
    ///   malformed.
    public init(openAI value: JinjaValue, index: Int = 0) throws(InferenceError) {
        guard case .object(let object) = value else {
            throw .invalidParameter(name: "message \(index)", value: value.jsonString() ?? "?",
                                    expected: "an object such as {\"role\": \"user\", \"content\": \"…\"}")
        }
        guard let role = object["role"]?.stringValue else {
            throw .invalidParameter(name: "message \(index) role", value: object["role"]?.jsonString() ?? "(missing)",
                                    expected: "a string such as \"user\" (OpenAI chat format)")
        }
        var content: ChatContent? = nil
        switch object["content"] {
        case .string(let s)?: content = .text(s)
        case .array(let items)?:
            var parts: [ContentPart] = []
            for item in items {
                guard case .object(let part) = item, let type = part["type"]?.stringValue else {
                    throw .invalidParameter(name: "message \(index) content", value: item.jsonString() ?? "?",
                                            expected: "a list of {\"type\": \"text\", \"text\": …} parts")
                }
                parts.append(ContentPart(type: type, text: part["text"]?.stringValue, value: item))
            }
            content = .parts(parts)
        case .none?: content = .null
        case nil: content = nil
        case .some(let other):
            throw .invalidParameter(name: "message \(index) content", value: other.jsonString() ?? "?",
                                    expected: "a string, a list of parts or null")
        }
        var toolCalls: [ToolCall] = []
        if case .array(let calls)? = object["tool_calls"] {
            for (i, call) in calls.enumerated() {
                toolCalls.append(try ToolCall(openAI: call, what: "message \(index) tool call \(i)"))
            }
        }
        let known: Set<String> = ["role", "content", "tool_calls", "tool_call_id", "name", "reasoning_content"]
        self.init(role: role, content: content, toolCalls: toolCalls, toolCallID: object["tool_call_id"]?.stringValue,
                  name: object["name"]?.stringValue, reasoningContent: object["reasoning_content"]?.stringValue,
                  extra: object.pairs.filter { !known.contains($0.key) })
    }
}

/// A message's content: plain text, or a list of parts (only text parts carry meaning for text-only models).
public enum ChatContent: Sendable, Equatable {
    case text(String)
    case parts([ContentPart])
    /// Present but null (Python `None`), as OpenAI clients send for assistant turns that only call tools;
    /// templates see `content is none` rather than an undefined key.
    case null
}

/// One element of a list-valued `content`: `{"type": "text", "text": "…"}`, or another type kept verbatim.
public struct ContentPart: Sendable, Equatable {
    public var type: String
    public var text: String?
    /// The part exactly as given, when it was read from JSON (so non-text parts reach the template unchanged).
    private var original: JinjaValue?

    /// A text part.
    public static func text(_ text: String) -> ContentPart { ContentPart(type: "text", text: text, value: nil) }

    init(type: String, text: String?, value: JinjaValue?) {
        self.type = type
        self.text = text
        self.original = value
    }

    /// `{"type": …, "text": …}` (or the original object).
    public var jinjaValue: JinjaValue {
        if let original { return original }
        var object = JinjaObject()
        object["type"] = .string(type)
        if let text { object["text"] = .string(text) }
        return .object(object)
    }
}
