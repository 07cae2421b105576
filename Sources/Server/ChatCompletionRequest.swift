// The body of POST /v1/chat/completions, read and checked: every field the server uses is validated here so
// a bad request fails with a 400 naming the field before any work is done.
import Agents
import Inference
import Jinja

/// A validated chat completion request.
struct ChatCompletionRequest {
    var model: String?
    var messages: [ChatMessage]
    /// nil: as much as the context and the server's limit allow.
    var maxTokens: Int?
    var sampling: SamplingParameters
    var stop: [String]
    var stream: Bool
    var includeUsage: Bool
    var tools: [ToolSpec]
    var toolChoice: ToolChoice
    /// `response_format` as a JSON Schema the reply must satisfy.
    var responseSchema: JSON?

    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool"]

    /// Reads the body; `maxTokensLimit` is the server's cap on `max_tokens`.
    static func parse(_ body: RequestFields, maxTokensLimit: Int) throws(ServerError) -> ChatCompletionRequest {
        let model = try body.string("model")
        guard let items = try body.array("messages") else {
            throw ServerError.invalidField(field: "messages", problem: "is required: give the conversation as an array of messages")
        }
        guard !items.isEmpty else { throw ServerError.invalidField(field: "messages", problem: "must not be empty") }
        var messages: [ChatMessage] = []
        for (index, item) in items.enumerated() { messages.append(try message(item, index: index)) }

        if let n = try body.int("n", in: 1...128), n != 1 {
            throw ServerError.unsupported(field: "n", problem: "must be 1: this server returns one choice")
        }
        var maxTokens = try body.int("max_completion_tokens", in: 1...maxTokensLimit)
        if maxTokens == nil { maxTokens = try body.int("max_tokens", in: 1...maxTokensLimit) }
        let sampling = try Self.sampling(body)
        let stream = try body.bool("stream") ?? false
        let includeUsage = try body.object("stream_options")?.bool("include_usage") ?? false
        let tools = try Self.tools(body)
        let choice = try ToolChoice.parse(body, tools: tools.map(\.name))
        return ChatCompletionRequest(model: model, messages: messages, maxTokens: maxTokens, sampling: sampling,
                                     stop: try body.stopSequences(), stream: stream, includeUsage: includeUsage,
                                     tools: tools, toolChoice: choice, responseSchema: try responseSchema(body))
    }

    /// Sampling options shared with /v1/completions.
    static func sampling(_ body: RequestFields) throws(ServerError) -> SamplingParameters {
        var sampling = SamplingParameters()
        if let t = try body.number("temperature", in: 0...2) { sampling.temperature = Float(t) }
        if let p = try body.number("top_p", in: 0...1) { sampling.topP = Float(p) }
        if let k = try body.int("top_k", in: 0...100_000) { sampling.topK = k }
        if let p = try body.number("min_p", in: 0...1) { sampling.minP = Float(p) }
        if let p = try body.number("presence_penalty", in: -2...2) { sampling.presencePenalty = Float(p) }
        if let p = try body.number("frequency_penalty", in: -2...2) { sampling.frequencyPenalty = Float(p) }
        if let p = try body.number("repetition_penalty", in: 0.01...10) { sampling.repetitionPenalty = Float(p) }
        if let seed = try body.int("seed", in: Int(Int32.min)...Int(Int64.max / 2)) {
            sampling.seed = UInt64(bitPattern: Int64(seed))
        }
        return sampling
    }

    /// One message: the fields chat templates read, checked, then converted as transformers would.
    static func message(_ item: JSON, index: Int) throws(ServerError) -> ChatMessage {
        let path = "messages[\(index)]"
        guard case .object(let object) = item else {
            throw ServerError.invalidField(field: path, problem: "must be an object with 'role' and 'content', found \(item.typeDescription)")
        }
        let fields = RequestFields(object: object, path: path)
        guard let role = try fields.string("role") else {
            throw ServerError.invalidField(field: path + ".role", problem: "is required (system, user, assistant or tool)")
        }
        guard roles.contains(role) else {
            throw ServerError.invalidField(field: path + ".role",
                                           problem: "must be system, developer, user, assistant or tool, found '\(role)'")
        }
        switch fields.value("content") {
        case nil, .string?: break
        case .array(let parts)?:
            for (i, part) in parts.enumerated() {
                guard case .object(let p) = part, p["type"]?.stringValue != nil else {
                    throw ServerError.invalidField(field: path + ".content[\(i)]",
                                                   problem: "must be a part such as {\"type\": \"text\", \"text\": …}")
                }
            }
        case let other?:
            throw ServerError.invalidField(field: path + ".content",
                                           problem: "must be a string, an array of parts or null, found \(other.typeDescription)")
        }
        if fields.value("content") == nil && role != "assistant" {
            throw ServerError.invalidField(field: path + ".content", problem: "is required for \(role) messages")
        }
        if let calls = try fields.array("tool_calls") {
            for (i, call) in calls.enumerated() {
                let callPath = path + ".tool_calls[\(i)]"
                guard case .object(let c) = call else {
                    throw ServerError.invalidField(field: callPath, problem: "must be an object, found \(call.typeDescription)")
                }
                let callFields = RequestFields(object: c, path: callPath)
                guard let function = try callFields.object("function"), try function.string("name") != nil else {
                    throw ServerError.invalidField(field: callPath + ".function.name", problem: "is required")
                }
            }
        }
        do {
            return try ChatMessage(openAI: try JinjaValue(json: item.text), index: index)
        } catch {
            throw ServerError.invalidField(field: path, problem: "cannot be read: \(error)")
        }
    }

    /// `tools`: function tools with a name, a description and a parameters schema.
    static func tools(_ body: RequestFields) throws(ServerError) -> [ToolSpec] {
        guard let items = try body.array("tools") else { return [] }
        var specs: [ToolSpec] = []
        for (index, item) in items.enumerated() {
            let path = "tools[\(index)]"
            guard case .object(let object) = item else {
                throw ServerError.invalidField(field: path, problem: "must be an object, found \(item.typeDescription)")
            }
            let fields = RequestFields(object: object, path: path)
            if let type = try fields.string("type"), type != "function" {
                throw ServerError.unsupported(field: path + ".type", problem: "must be 'function', found '\(type)'")
            }
            guard let function = try fields.object("function") else {
                throw ServerError.invalidField(field: path + ".function", problem: "is required")
            }
            guard let name = try function.string("name"), !name.isEmpty,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw ServerError.invalidField(field: path + ".function.name",
                                               problem: "is required and may hold only letters, digits, '_' and '-'")
            }
            guard !specs.contains(where: { $0.name == name }) else {
                throw ServerError.invalidField(field: path + ".function.name", problem: "repeats the tool '\(name)'")
            }
            let parameters = try function.object("parameters").map { JSON.object($0.object) }
                ?? .objectSchema([], required: [])
            specs.append(ToolSpec(name: name, summary: try function.string("description") ?? "", parameters: parameters))
        }
        return specs
    }

    /// `response_format`: `{"type": "json_object"}` or `{"type": "json_schema", "json_schema": {"schema": …}}`.
    static func responseSchema(_ body: RequestFields) throws(ServerError) -> JSON? {
        guard let format = try body.object("response_format") else { return nil }
        switch try format.string("type") {
        case nil, "text"?: return nil
        case "json_object"?: return ["type": "object"]
        case "json_schema"?:
            guard let schema = try format.object("json_schema")?.object("schema") else {
                throw ServerError.invalidField(field: "response_format.json_schema.schema", problem: "is required")
            }
            return .object(schema.object)
        case let other?:
            throw ServerError.unsupported(field: "response_format.type",
                                          problem: "must be text, json_object or json_schema, found '\(other)'")
        }
    }
}
