// A loaded model serving generation requests in-process. Callers on any thread or task submit requests and
// read an AsyncThrowingStream of events; one dedicated model thread runs the scheduler, so the token loop
// never hops between actors and several callers share each forward pass.
import Foundation
import GGUF

/// The runtime's front door: load a GGUF once, then generate from token ids or chat messages.
public final class InferenceEngine: @unchecked Sendable {
    public let path: String
    public let file: GGUFFile
    public let config: ModelConfig
    public let tokenizer: Tokenizer
    /// The template chats with this model are rendered with (see `chatTokens(messages:)`).
    public let chatTemplate: ChatTemplate
    public let options: EngineOptions
    /// Positions one sequence may use.
    public let contextSize: Int

    private let scheduler: BatchScheduler
    private let condition = NSCondition()
    private var queue: [GenerationRequest] = []
    /// Work to run on the model thread between steps (direct evaluations for tests and tools).
    private var tasks: [@Sendable (Transformer, KVCachePool) -> Void] = []
    private var shuttingDown = false
    private var dropCacheRequested = false
    private var activeSnapshot = 0
    private var thread: Thread?

    /// Loads the model at `path` (mmapped; weights stay quantized) and starts its model thread.
    public convenience init(path: String, options: EngineOptions = EngineOptions()) throws(InferenceError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw InferenceError.gguf(error) }
        try self.init(file: file, options: options)
    }

    public init(file: GGUFFile, options: EngineOptions = EngineOptions()) throws(InferenceError) {
        self.path = file.path ?? "<memory>"
        self.file = file
        self.options = options
        let transformer = try Transformer(file: file, threads: options.threads)
        self.config = transformer.config
        do { self.tokenizer = try Tokenizer(gguf: file) } catch { throw InferenceError.tokenizer(error.description) }
        let fileTemplate: String?
        do { fileTemplate = try file.optionalString("tokenizer.chat_template") } catch { throw InferenceError.gguf(error) }
        self.chatTemplate = try Self.loadChatTemplate(fileTemplate: fileTemplate, tokenizer: tokenizer,
                                                      override: options.chatTemplateOverride)
        let trained = config.trainedContextLength
        let requested = options.contextSize > 0 ? options.contextSize : min(trained, 8192)
        self.contextSize = max(16, requested)
        var draftModel: DraftModel? = nil
        if let draftPath = options.draftModelPath {
            draftModel = try DraftModel(path: draftPath, threads: options.threads, target: tokenizer,
                                        contextSize: contextSize, maxSequences: options.maxSequences)
        }
        self.scheduler = BatchScheduler(transformer: transformer, tokenizer: tokenizer, options: options,
                                        contextSize: contextSize, draftModel: draftModel)
        let t = Thread { [weak self] in self?.runLoop() }
        t.name = "tokenworks.model"
        t.stackSize = 8 << 20
        thread = t
        t.start()
    }

    deinit { shutdown() }

    /// The model's display name (from `general.name`, else the file name).
    public var modelName: String {
        ((try? file.optionalString("general.name")) ?? nil) ?? URL(fileURLWithPath: path).lastPathComponent
    }

    /// How many sequences share the model right now (the UI's batch figure).
    public var activeSequences: Int {
        condition.lock(); defer { condition.unlock() }
        return activeSnapshot
    }

    /// Streams a generation continuing `tokens`. Requests with the same `cacheKey` are turns of one
    /// conversation: the previous turn's cache is taken over and only new tokens are prefilled. Stopping
    /// iteration (or cancelling the task) cancels the generation within one token.
    public func generate(tokens: [TokenID], parameters: GenerationParameters = GenerationParameters(),
                         cacheKey: String? = nil) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let request = GenerationRequest(tokens: tokens, parameters: parameters, cacheKey: cacheKey,
                                        continuation: continuation)
        continuation.onTermination = { _ in request.cancel() }
        condition.lock()
        if shuttingDown {
            condition.unlock()
            continuation.finish(throwing: InferenceError.cancelled)
            return stream
        }
        queue.append(request)
        condition.signal()
        condition.unlock()
        return stream
    }

    /// Streams one generation per prompt, all queued at once so they are admitted in the same step (a benchmark
    /// or a fan-out that wants its sequences to start together; `generate` called in a loop may let the first
    /// one start prefilling alone). Each stream behaves exactly as `generate(tokens:parameters:)`'s.
    public func generate(batch prompts: [[TokenID]], parameters: GenerationParameters = GenerationParameters())
        -> [AsyncThrowingStream<GenerationEvent, any Error>]
    {
        var streams: [AsyncThrowingStream<GenerationEvent, any Error>] = []
        var requests: [GenerationRequest] = []
        for tokens in prompts {
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
            let request = GenerationRequest(tokens: tokens, parameters: parameters, cacheKey: nil,
                                            continuation: continuation)
            continuation.onTermination = { _ in request.cancel() }
            streams.append(stream)
            requests.append(request)
        }
        condition.lock()
        if shuttingDown {
            condition.unlock()
            for r in requests { r.continuation.finish(throwing: InferenceError.cancelled) }
            return streams
        }
        queue.append(contentsOf: requests)
        condition.signal()
        condition.unlock()
        return streams
    }

    /// Tokenizes raw text (special-token texts recognised) and streams its continuation.
    public func generate(text: String, parameters: GenerationParameters = GenerationParameters(),
                         cacheKey: String? = nil) -> AsyncThrowingStream<GenerationEvent, any Error> {
        generate(tokens: tokenizer.encode(text, addSpecial: true, parseSpecial: true), parameters: parameters,
                 cacheKey: cacheKey)
    }

    /// Runs `body` on the model thread between two steps, with exclusive use of the model and its cache pool.
    public func withModel<T: Sendable>(_ body: @escaping @Sendable (Transformer, KVCachePool) -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            condition.lock()
            tasks.append { transformer, pool in continuation.resume(returning: body(transformer, pool)) }
            condition.signal()
            condition.unlock()
        }
    }

    /// The logits after the last of `tokens`, computed from an empty cache (vocabularySize floats).
    /// For tests against reference logits and for tools that score text; generation does not use it.
    public func logits(tokens: [TokenID]) async throws -> [Float] {
        guard !tokens.isEmpty else { throw InferenceError.emptyPrompt }
        guard tokens.count < contextSize else {
            throw InferenceError.contextOverflow(promptTokens: tokens.count, contextSize: contextSize)
        }
        let result: [Float]? = await withModel { transformer, pool in
            var seq = KVSequence()
            defer { pool.clear(&seq) }
            guard pool.reserve(&seq, length: tokens.count, writeFrom: 0) else { return nil }
            let rows = tokens.enumerated().map {
                BatchRow(token: $0.element, position: $0.offset, slot: 0, wantsLogits: $0.offset == tokens.count - 1)
            }
            var out = [Float](repeating: 0, count: transformer.config.vocabularySize)
            out.withUnsafeMutableBufferPointer { buf in
                rows.withUnsafeBufferPointer { r in
                    transformer.forward(rows: r, tables: [seq.blocks], pool: pool, logits: buf.baseAddress!)
                }
            }
            return out
        }
        guard let result else {
            throw InferenceError.contextOverflow(promptTokens: tokens.count, contextSize: contextSize)
        }
        return result
    }

    /// Forgets all caches kept for reuse (after /clear, or to measure cold prefill).
    public func dropCaches() {
        condition.lock()
        dropCacheRequested = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the model thread; running generations end with `InferenceError.cancelled`.
    public func shutdown() {
        condition.lock()
        shuttingDown = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && tasks.isEmpty && scheduler.isIdle && !shuttingDown && !dropCacheRequested {
                condition.wait()
            }
            if shuttingDown {
                let pending = queue
                queue.removeAll()
                condition.unlock()
                for r in pending { r.continuation.finish(throwing: InferenceError.cancelled) }
                scheduler.abortAll(.cancelled)
                return
            }
            let dropCaches = dropCacheRequested
            dropCacheRequested = false
            let work = tasks
            tasks.removeAll()
            var admitted: [GenerationRequest] = []
            var room = options.maxSequences - scheduler.activeCount
            while room > 0 && !queue.isEmpty {
                admitted.append(queue.removeFirst())
                room -= 1
            }
            condition.unlock()

            if dropCaches { scheduler.dropRetained() }
            for task in work { task(scheduler.transformer, scheduler.pool) }
            for r in admitted { scheduler.admit(r) }
            scheduler.step()

            condition.lock()
            activeSnapshot = scheduler.activeCount
            condition.unlock()
        }
    }
}
