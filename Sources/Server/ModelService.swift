// What the HTTP routes do, apart from HTTP: validate a request, wait for a place at the gate, generate on the
// shared engine (concurrent requests batch in its scheduler; nothing is serialized here), shape the answer,
// and write the call to the ledger.
import Agents
import Foundation
import Inference
import Ledger

/// The model behind the API.
public struct ModelService: Sendable {
    public let engine: InferenceEngine
    public let configuration: ServerConfiguration
    let gate: AdmissionGate
    let ledger: ServeLedger
    /// Whether the chat template renders tools (else tools use the JSON protocol under a grammar).
    let nativeTools: Bool
    let created = Int(Date().timeIntervalSince1970)
    /// Where non-fatal problems (a failed ledger write) are reported.
    let notice: @Sendable (String) -> Void

    public init(engine: InferenceEngine, configuration: ServerConfiguration, ledger: LedgerStore?,
                prices: PriceSheet?, notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.configuration = configuration
        self.gate = AdmissionGate(maxRunning: configuration.maxRunning, maxWaiting: configuration.maxWaiting)
        self.ledger = ServeLedger(store: ledger, prices: prices, model: configuration.modelName)
        self.nativeTools = LocalBackend(engine: engine).supportsNativeTools
        self.notice = notice
    }

    /// A streamed answer: each string is written to the client as it comes.
    public typealias Writer = @Sendable (String) async throws -> Void

    /// What a route answers: a JSON body, or a stream of server-sent events.
    public enum Answer: Sendable {
        case json(JSON)
        case events(@Sendable (_ write: Writer) async -> Void)
    }

    // MARK: Routes

    public func models() -> JSON { OpenAIResponses.models([configuration.modelName], created: created) }

    /// POST /v1/chat/completions with body `text`.
    public func chatCompletions(_ text: String) async throws -> Answer {
        let request = try ChatCompletionRequest.parse(try RequestFields.body(text), maxTokensLimit: configuration.maxTokens)
        let plan = try ChatPlan.make(request, engine: engine, nativeTools: nativeTools,
                                     maxTokensLimit: configuration.maxTokens)
        let lease = try await admit()
        let id = OpenAIResponses.id("chatcmpl-")
        let model = configuration.modelName
        let created = Int(Date().timeIntervalSince1970)
        let route = "/v1/chat/completions"

        guard request.stream else {
            defer { lease.release() }
            let result = try await run(plan.tokens, plan.parameters, route: route, id: id, stream: false) { _ in }
            let (content, calls) = plan.interpret(result.output)
            return .json(OpenAIResponses.chatCompletion(
                id: id, created: created, model: model, content: content, calls: calls,
                callIDs: calls.map { _ in OpenAIResponses.id("call_") }, reason: result.reason, stats: result.stats))
        }

        let service = self
        return .events { write in
            defer { lease.release() }
            let streamsText = plan.toolMode == .none
            do {
                try await write(OpenAIResponses.event(OpenAIResponses.chatChunk(
                    id: id, created: created, model: model, delta: JSONObject([("role", "assistant"), ("content", "")]),
                    finishReason: nil)))
                let result = try await service.run(plan.tokens, plan.parameters, route: route, id: id, stream: true) { piece in
                    guard streamsText, !piece.isEmpty else { return }
                    try await write(OpenAIResponses.event(OpenAIResponses.chatChunk(
                        id: id, created: created, model: model, delta: JSONObject([("content", .string(piece))]),
                        finishReason: nil)))
                }
                let (content, calls) = plan.interpret(result.output)
                if !streamsText {
                    var delta = JSONObject()
                    if let content, !content.isEmpty { delta["content"] = .string(content) }
                    if !calls.isEmpty {
                        delta["tool_calls"] = OpenAIResponses.toolCalls(
                            calls, ids: calls.map { _ in OpenAIResponses.id("call_") }, streamed: true)
                    }
                    if !delta.isEmpty {
                        try await write(OpenAIResponses.event(OpenAIResponses.chatChunk(
                            id: id, created: created, model: model, delta: delta, finishReason: nil)))
                    }
                }
                try await write(OpenAIResponses.event(OpenAIResponses.chatChunk(
                    id: id, created: created, model: model, delta: JSONObject(),
                    finishReason: OpenAIResponses.finishReason(result.reason, toolCalls: !calls.isEmpty))))
                if request.includeUsage {
                    try await write(OpenAIResponses.event(OpenAIResponses.chatChunk(
                        id: id, created: created, model: model, delta: nil, finishReason: nil,
                        usage: OpenAIResponses.usage(result.stats))))
                }
                try await write(OpenAIResponses.done)
            } catch let error as ServerError {
                try? await write(OpenAIResponses.event(OpenAIResponses.error(error)))
                try? await write(OpenAIResponses.done)
            } catch {
                // The client went away: the generation was cancelled and recorded as such.
            }
        }
    }

    /// POST /v1/completions with body `text`.
    public func completions(_ text: String) async throws -> Answer {
        let request = try CompletionRequest.parse(try RequestFields.body(text), maxTokensLimit: configuration.maxTokens)
        let tokens = engine.tokenizer.encode(request.prompt, addSpecial: true, parseSpecial: true)
        guard !tokens.isEmpty else { throw ServerError.invalidField(field: "prompt", problem: "must not be empty") }
        guard tokens.count + request.maxTokens <= engine.contextSize else {
            throw ServerError.contextOverflow(promptTokens: tokens.count, maxTokens: request.maxTokens,
                                              contextSize: engine.contextSize)
        }
        let parameters = GenerationParameters(maxTokens: request.maxTokens, sampling: request.sampling,
                                              stopSequences: request.stop)
        let lease = try await admit()
        let id = OpenAIResponses.id("cmpl-")
        let model = configuration.modelName
        let created = Int(Date().timeIntervalSince1970)
        let route = "/v1/completions"
        let echo = request.echo ? request.prompt : ""

        guard request.stream else {
            defer { lease.release() }
            let result = try await run(tokens, parameters, route: route, id: id, stream: false) { _ in }
            return .json(OpenAIResponses.textCompletion(
                id: id, created: created, model: model, text: echo + result.output,
                finishReason: OpenAIResponses.finishReason(result.reason, toolCalls: false),
                usage: OpenAIResponses.usage(result.stats)))
        }
        let service = self
        return .events { write in
            defer { lease.release() }
            do {
                if !echo.isEmpty {
                    try await write(OpenAIResponses.event(OpenAIResponses.textCompletion(
                        id: id, created: created, model: model, text: echo, finishReason: nil, usage: nil)))
                }
                let result = try await service.run(tokens, parameters, route: route, id: id, stream: true) { piece in
                    guard !piece.isEmpty else { return }
                    try await write(OpenAIResponses.event(OpenAIResponses.textCompletion(
                        id: id, created: created, model: model, text: piece, finishReason: nil, usage: nil)))
                }
                try await write(OpenAIResponses.event(OpenAIResponses.textCompletion(
                    id: id, created: created, model: model, text: "",
                    finishReason: OpenAIResponses.finishReason(result.reason, toolCalls: false),
                    usage: request.includeUsage ? OpenAIResponses.usage(result.stats) : nil)))
                try await write(OpenAIResponses.done)
            } catch let error as ServerError {
                try? await write(OpenAIResponses.event(OpenAIResponses.error(error)))
                try? await write(OpenAIResponses.done)
            } catch {
            }
        }
    }

    // MARK: Generation

    struct Result {
        var output: String
        var reason: StopReason
        var stats: CallStats
    }

    /// A place at the gate, given back exactly once (also when an unsent streaming answer is dropped).
    final class Lease: @unchecked Sendable {
        private let gate: AdmissionGate
        private let lock = NSLock()
        private var released = false

        init(gate: AdmissionGate) { self.gate = gate }

        func release() {
            lock.lock()
            let first = !released
            released = true
            lock.unlock()
            if first { Task { [gate] in await gate.leave() } }
        }

        deinit { release() }
    }

    private func admit() async throws(ServerError) -> Lease {
        do {
            try await gate.enter()
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError.generationFailed(reason: "the request was cancelled while waiting")
        }
        return Lease(gate: gate)
    }

    /// Generates on the shared engine, passing each text piece to `onText`, and records the call.
    /// An error thrown by `onText` (the client went away) cancels the generation and is rethrown.
    private func run(_ tokens: [TokenID], _ parameters: GenerationParameters, route: String, id: String, stream: Bool,
                     onText: (String) async throws -> Void) async throws -> Result {
        let started = Date()
        var output = ""
        var finished: (StopReason, CallStats)?
        do {
            for try await event in engine.generate(tokens: tokens, parameters: parameters) {
                switch event {
                case .token(_, let text, _), .text(let text):
                    output += text
                    try await onText(text)
                case .finished(let reason, let stats):
                    finished = (reason, stats)
                case .prefilled, .speculation:
                    break
                }
            }
        } catch {
            let clientGone = !(error is InferenceError)
            let problem = clientGone ? "the client closed the connection" : "\(error)"
            if let message = await ledger.record(route: route, requestID: id, started: started, stats: finished?.1,
                                                 stop: "cancelled", outcome: clientGone ? .cancelled : .error,
                                                 error: problem, stream: stream) {
                notice(message)
            }
            if clientGone { throw error }
            throw ServerError.generationFailed(reason: problem)
        }
        guard let (reason, stats) = finished else {
            throw ServerError.generationFailed(reason: "the model stopped without finishing")
        }
        let outcome: CallRecord.Outcome = reason == .cancelled ? .cancelled : .ok
        if let message = await ledger.record(route: route, requestID: id, started: started, stats: stats,
                                             stop: reason.description, outcome: outcome, error: nil, stream: stream) {
            notice(message)
        }
        return Result(output: output, reason: reason, stats: stats)
    }
}
