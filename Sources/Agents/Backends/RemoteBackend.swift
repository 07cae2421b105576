// A model behind an OpenAI-compatible API: the agent loop's requests become /chat/completions calls with
// streaming, tools and usage; the answer streams back as the same ModelEvents the in-process model produces.
import Foundation

/// A model served by vLLM, llama-server, Ollama, a hosted API or another `tokenworks serve`.
///
/// Tool calls: with `nativeTools` the tools go out as OpenAI `tools`, and the loop's native format (the
/// `<tool_call>{…}</tool_call>` text the agent loop reads) is translated to and from `tool_calls` on the
/// wire, so conversations carry proper call ids. Usage comes from the server (`stream_options.include_usage`);
/// latency (time to first token, tokens per second) is measured here, on this side of the network.
public struct RemoteBackend: ModelBackend {
    public let client: OpenAIClient
    public var modelName: String { client.endpoint.name }
    public var isLocal: Bool { false }
    public var supportsNativeTools: Bool { client.endpoint.nativeTools }
    public var supportsConstraints: Bool { false }

    public init(endpoint: RemoteEndpoint, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.client = OpenAIClient(endpoint: endpoint, environment: environment)
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let client = self.client
        let body = Self.body(for: request, model: client.endpoint.model)
        let prefix = request.responsePrefix
        return AsyncThrowingStream { continuation in
            let task = Task {
                let started = MonotonicSeconds.now()
                var reply = RemoteReply()
                do {
                    for try await chunk in client.stream("chat/completions", body: body) {
                        for piece in reply.read(chunk) {
                            if reply.firstOutput == nil { reply.firstOutput = MonotonicSeconds.now() }
                            // With a prefix the reply is held back until its start can be compared with it.
                            if prefix.isEmpty { continuation.yield(.token(piece)) }
                        }
                    }
                    let ended = MonotonicSeconds.now()
                    var text = reply.toolCallText()
                    if !prefix.isEmpty {
                        var content = reply.content
                        // Servers that ignore the assistant prefill write the prefix themselves.
                        let trimmed = content.drop(while: \.isWhitespace)
                        if trimmed.hasPrefix(prefix) { content = String(trimmed.dropFirst(prefix.count)) }
                        text = content + text
                    }
                    if !text.isEmpty { continuation.yield(.text(text)) }
                    continuation.yield(.prefilled(promptTokens: reply.promptTokens, cachedTokens: reply.cachedTokens))
                    continuation.yield(.finished(reply.usage(started: started, ended: ended)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: The request

    /// The /chat/completions body for `request`: messages (native tool calls as `tool_calls` with ids, results
    /// as `tool` messages answering them), tools, limits, streaming with usage.
    public static func body(for request: ModelRequest, model: String) -> JSON {
        var object = JSONObject()
        object["model"] = .string(model)
        object["messages"] = .array(messages(for: request))
        if !request.tools.isEmpty {
            object["tools"] = .array(request.tools.map { tool -> JSON in
                ["type": "function",
                 "function": ["name": .string(tool.name), "description": .string(tool.summary),
                              "parameters": tool.parameters]]
            })
            if request.requiresTool { object["tool_choice"] = "required" }
        }
        object["max_tokens"] = .number(Double(max(1, request.maxTokens)))
        object["temperature"] = .number(max(0, request.temperature))
        if !request.stopSequences.isEmpty { object["stop"] = .array(request.stopSequences.map { .string($0) }) }
        object["stream"] = true
        object["stream_options"] = ["include_usage": true]
        return .object(object)
    }

    /// The conversation as OpenAI messages.
    static func messages(for request: ModelRequest) -> [JSON] {
        var result: [JSON] = []
        var pending: [(id: String, name: String)] = []
        var nextID = 0
        for message in request.messages {
            switch message.role {
            case .system, .user:
                result.append(["role": .string(message.role.name), "content": .string(message.content)])
            case .assistant:
                let (text, calls) = splitToolCalls(message.content)
                var object = JSONObject([("role", "assistant"),
                                         ("content", text.isEmpty && !calls.isEmpty ? .null : .string(text))])
                if !calls.isEmpty {
                    object["tool_calls"] = .array(calls.map { call -> JSON in
                        nextID += 1
                        let id = "call_\(nextID)"
                        pending.append((id, call.name))
                        return ["id": .string(id), "type": "function",
                                "function": ["name": .string(call.name), "arguments": .string(call.arguments.text)]]
                    })
                }
                result.append(.object(object))
            case .tool(let name):
                // The oldest unanswered call of this tool (else of any tool) is the one this result answers.
                let index = pending.firstIndex { $0.name == name } ?? (pending.isEmpty ? nil : 0)
                var object = JSONObject([("role", "tool"), ("name", .string(name)), ("content", .string(message.content))])
                if let index {
                    object["tool_call_id"] = .string(pending[index].id)
                    pending.remove(at: index)
                } else {
                    nextID += 1
                    object["tool_call_id"] = .string("call_\(nextID)")
                }
                result.append(.object(object))
            }
        }
        if !request.responsePrefix.isEmpty {
            // An assistant prefill: llama-server and `tokenworks serve` continue it.
            result.append(["role": "assistant", "content": .string(request.responsePrefix)])
        }
        return result
    }

    /// An assistant text's prose and the `<tool_call>{"name": …, "arguments": …}</tool_call>` blocks in it.
    public static func splitToolCalls(_ text: String) -> (text: String, calls: [(name: String, arguments: JSON)]) {
        var prose = ""
        var calls: [(name: String, arguments: JSON)] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<tool_call>") {
            prose += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            let close = after.range(of: "</tool_call>")
            let inner = close.map { after[..<$0.lowerBound] } ?? after
            rest = close.map { after[$0.upperBound...] } ?? ""
            if case .object(let object)? = try? JSON(parsing: String(inner)),
               let name = (object["name"] ?? object["tool"])?.stringValue {
                calls.append((name, object["arguments"] ?? .object(JSONObject())))
            } else {
                prose += "<tool_call>" + inner + (close == nil ? "" : "</tool_call>")
            }
        }
        prose += rest
        return (prose.trimmingCharacters(in: .whitespacesAndNewlines), calls)
    }
}

/// What a streamed chat completion has said so far.
struct RemoteReply {
    var content = ""
    var contentPieces = 0
    /// Tool calls by their stream index: id, name and the arguments text as it accumulates.
    var calls: [Int: (id: String, name: String, arguments: String)] = [:]
    var finishReason: String?
    var promptTokens = 0
    var cachedTokens = 0
    var completionTokens: Int?
    var firstOutput: Double?

    /// Folds one chunk in; returns the content pieces it carried.
    mutating func read(_ chunk: JSON) -> [String] {
        if let usage = chunk["usage"], usage != .null {
            promptTokens = usage["prompt_tokens"]?.intValue ?? promptTokens
            completionTokens = usage["completion_tokens"]?.intValue ?? completionTokens
            cachedTokens = usage["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? cachedTokens
        }
        var pieces: [String] = []
        for choice in chunk["choices"]?.arrayValue ?? [] {
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
            // Non-streaming answers carry `message`; streamed ones `delta`.
            guard let delta = choice["delta"] ?? choice["message"] else { continue }
            if let text = delta["content"]?.stringValue, !text.isEmpty {
                content += text
                contentPieces += 1
                pieces.append(text)
            }
            for (position, call) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
                let index = call["index"]?.intValue ?? position
                var entry = calls[index] ?? ("", "", "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name += name }
                if let arguments = call["function"]?["arguments"] {
                    entry.arguments += arguments.stringValue ?? arguments.text
                }
                calls[index] = entry
                if firstOutput == nil { firstOutput = MonotonicSeconds.now() }
            }
        }
        return pieces
    }

    /// The tool calls in the native text format the agent loop parses.
    func toolCallText() -> String {
        calls.keys.sorted().compactMap { index -> String? in
            guard let call = calls[index], !call.name.isEmpty else { return nil }
            let arguments = (try? JSON(parsing: call.arguments.isEmpty ? "{}" : call.arguments))
                ?? .string(call.arguments)
            let object: JSON = ["name": .string(call.name), "arguments": arguments]
            return "<tool_call>\n\(object.text)\n</tool_call>"
        }.joined(separator: "\n")
    }

    func usage(started: Double, ended: Double) -> ModelUsage {
        let generated = completionTokens ?? (contentPieces + calls.count)
        let first = firstOutput ?? ended
        let streaming = ended - first
        return ModelUsage(promptTokens: promptTokens, cachedTokens: min(cachedTokens, promptTokens),
                          generatedTokens: generated, timeToFirstToken: first - started,
                          tokensPerSecond: streaming > 0 && generated > 1 ? Double(generated - 1) / streaming : 0,
                          computeSeconds: 0, meanBatchSize: 1, stopReason: finishReason ?? "stop")
    }
}

/// Seconds on a monotonic clock (wall-clock jumps must not make latencies negative).
enum MonotonicSeconds {
    static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
