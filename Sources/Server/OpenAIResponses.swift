// The JSON the server answers with, in the shapes OpenAI's API documents (and its client libraries decode):
// completions, streamed chunks, usage with cached tokens, models, errors.
import Agents
import Foundation
import Inference

/// Builders of response bodies.
enum OpenAIResponses {
    /// `{"error": {"message", "type", "param", "code"}}`.
    static func error(_ error: ServerError) -> JSON {
        ["error": ["message": .string(error.description), "type": .string(error.type),
                   "param": error.param.map { .string($0) } ?? .null, "code": .number(Double(error.status))]]
    }

    /// `usage`, with `prompt_tokens_details.cached_tokens` (the prompt tokens served from the KV cache).
    static func usage(_ stats: CallStats) -> JSON {
        ["prompt_tokens": .number(Double(stats.promptTokens)),
         "completion_tokens": .number(Double(stats.generatedTokens)),
         "total_tokens": .number(Double(stats.promptTokens + stats.generatedTokens)),
         "prompt_tokens_details": ["cached_tokens": .number(Double(stats.cachedTokens))]]
    }

    /// OpenAI's finish reasons: stop, length, tool_calls.
    static func finishReason(_ reason: StopReason, toolCalls: Bool) -> String {
        if toolCalls { return "tool_calls" }
        switch reason {
        case .maxTokens, .contextFull: return "length"
        default: return "stop"
        }
    }

    static func toolCalls(_ calls: [(name: String, arguments: JSON)], ids: [String], streamed: Bool) -> JSON {
        .array(calls.enumerated().map { index, call in
            var object = JSONObject()
            if streamed { object["index"] = .number(Double(index)) }
            object["id"] = .string(ids[index])
            object["type"] = "function"
            object["function"] = ["name": .string(call.name), "arguments": .string(call.arguments.text)]
            return .object(object)
        })
    }

    /// A whole chat completion.
    static func chatCompletion(id: String, created: Int, model: String, content: String?,
                               calls: [(name: String, arguments: JSON)], callIDs: [String], reason: StopReason,
                               stats: CallStats) -> JSON {
        var message: JSONObject = JSONObject([("role", "assistant"), ("content", content.map { .string($0) } ?? .null)])
        if !calls.isEmpty { message["tool_calls"] = toolCalls(calls, ids: callIDs, streamed: false) }
        return ["id": .string(id), "object": "chat.completion", "created": .number(Double(created)),
                "model": .string(model),
                "choices": [["index": 0, "message": .object(message), "logprobs": .null,
                             "finish_reason": .string(finishReason(reason, toolCalls: !calls.isEmpty))]],
                "usage": usage(stats)]
    }

    /// One `chat.completion.chunk`: a delta, or the finish reason, or (with no choices) the usage.
    static func chatChunk(id: String, created: Int, model: String, delta: JSONObject?, finishReason: String?,
                          usage: JSON? = nil) -> JSON {
        var object: JSONObject = JSONObject([("id", .string(id)), ("object", "chat.completion.chunk"),
                                             ("created", .number(Double(created))), ("model", .string(model))])
        if let delta {
            object["choices"] = [["index": 0, "delta": .object(delta), "logprobs": .null,
                                  "finish_reason": finishReason.map { .string($0) } ?? .null]]
        } else {
            object["choices"] = []
        }
        if let usage { object["usage"] = usage }
        return .object(object)
    }

    /// A whole text completion, or (streamed) one piece of it.
    static func textCompletion(id: String, created: Int, model: String, text: String, finishReason: String?,
                               usage: JSON?) -> JSON {
        var object: JSONObject = JSONObject([("id", .string(id)), ("object", "text_completion"),
                                             ("created", .number(Double(created))), ("model", .string(model))])
        object["choices"] = [["index": 0, "text": .string(text), "logprobs": .null,
                              "finish_reason": finishReason.map { .string($0) } ?? .null]]
        if let usage { object["usage"] = usage }
        return .object(object)
    }

    /// `GET /v1/models`.
    static func models(_ names: [String], created: Int) -> JSON {
        ["object": "list",
         "data": .array(names.map { ["id": .string($0), "object": "model", "created": .number(Double(created)),
                                     "owned_by": "tokenworks"] })]
    }

    /// One server-sent event carrying `value`.
    static func event(_ value: JSON) -> String { "data: " + value.text + "\n\n" }

    static let done = "data: [DONE]\n\n"

    /// A random id with OpenAI's prefix (`chatcmpl-…`, `cmpl-…`, `call_…`).
    static func id(_ prefix: String) -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    }
}
