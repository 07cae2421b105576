// The in-process backend: renders the conversation with the model's own chat template, generates with the
// shared InferenceEngine (reusing the KV cache of earlier turns through the cache key), and reports usage.
import Foundation
import Inference
import Jinja

/// A model running in this process.
public struct LocalBackend: ModelBackend {
    public let engine: InferenceEngine
    public let modelName: String
    public var isLocal: Bool { true }
    public let supportsNativeTools: Bool
    public var supportsConstraints: Bool { true }

    /// - Parameter name: the model's name in the ledger (default: the GGUF file name).
    public init(engine: InferenceEngine, name: String? = nil) {
        self.engine = engine
        self.modelName = name ?? URL(fileURLWithPath: engine.path).lastPathComponent
        self.supportsNativeTools = Self.templateRendersTools(engine)
    }

    /// Whether the chat template prints the tools it is given (then the model was trained with a tool format).
    static func templateRendersTools(_ engine: InferenceEngine) -> Bool {
        let probe = ToolDefinition(name: "tokenworks_probe_tool", description: "probe", parameters: .object(JinjaObject()))
        guard let text = try? engine.chatPrompt(messages: [.user("hi")], tools: [probe.jinjaValue]) else { return false }
        return text.contains("tokenworks_probe_tool")
    }

    /// The prompt tokens the engine will see for `request` (also what tests count against the ledger).
    public func promptTokens(for request: ModelRequest) throws -> [TokenID] {
        let messages = request.messages.map { message -> ChatMessage in
            switch message.role {
            case .system: return .system(message.content)
            case .user: return .user(message.content)
            case .assistant: return .assistant(message.content)
            case .tool(let name): return .tool(message.content, callID: nil, name: name)
            }
        }
        var tools: [JinjaValue]?
        if !request.tools.isEmpty {
            tools = try request.tools.map { spec in
                ToolDefinition(name: spec.name, description: spec.summary,
                               parameters: try JinjaValue(json: spec.parameters.text)).jinjaValue
            }
        }
        guard !request.responsePrefix.isEmpty else { return try engine.chatTokens(messages: messages, tools: tools) }
        // The prefix is tokenized together with the prompt so its tokens merge as they would in the model's text.
        let text = try engine.chatPrompt(messages: messages, tools: tools) + request.responsePrefix
        var ids = engine.tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        if engine.tokenizer.vocabulary.addBOS, let bos = engine.tokenizer.bos, ids.first != bos { ids.insert(bos, at: 0) }
        return ids
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let engine = self.engine
        let model = modelName
        let tokens: [TokenID]
        do {
            tokens = try promptTokens(for: request)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: AgentsError.backendFailed(model: model, reason: "\(error)")) }
        }
        var sampling = request.temperature <= 0 ? SamplingParameters.greedy
            : SamplingParameters(temperature: Float(request.temperature))
        sampling.repetitionPenalty = Float(max(0.01, request.repetitionPenalty))
        var constrained = GenerationParameters(maxTokens: max(1, request.maxTokens), sampling: sampling,
                                               stopSequences: request.stopSequences)
        if let schema = request.constraint {
            // The reply must be a document of the schema: compiled to a grammar and enforced token by token.
            do {
                constrained.grammar = try JSONSchemaGrammar.grammar(schemaJSON: schema.text)
            } catch {
                return AsyncThrowingStream {
                    $0.finish(throwing: AgentsError.backendFailed(model: model, reason: "tool-call schema: \(error)"))
                }
            }
        }
        let parameters = constrained
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in engine.generate(tokens: tokens, parameters: parameters,
                                                           cacheKey: request.cacheKey) {
                        switch event {
                        case .prefilled(let prompt, let cached, _):
                            continuation.yield(.prefilled(promptTokens: prompt, cachedTokens: cached))
                        case .token(_, let text, _):
                            continuation.yield(.token(text))
                        case .text(let text):
                            if !text.isEmpty { continuation.yield(.text(text)) }
                        case .speculation:
                            break
                        case .finished(let reason, let stats):
                            continuation.yield(.finished(ModelUsage(
                                promptTokens: stats.promptTokens, cachedTokens: stats.cachedTokens,
                                generatedTokens: stats.generatedTokens, draftedTokens: stats.draftedTokens,
                                acceptedTokens: stats.acceptedTokens, timeToFirstToken: stats.timeToFirstToken,
                                tokensPerSecond: stats.tokensPerSecond, computeSeconds: stats.computeSeconds,
                                meanBatchSize: stats.meanBatchSize, stopReason: reason.description,
                                constrained: false, computeShare: stats.computeShare,
                                soloComputeSeconds: stats.soloComputeSeconds)))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
