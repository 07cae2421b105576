// Continuous batching on one model: between forward passes sequences join and leave; each step runs every
// active sequence's next rows (a prefill chunk or one decode token) through ONE forward pass, so the weights
// are read once for all of them. A sequence alone is just a batch of one.
import Foundation

/// Runs on the engine's model thread only; nothing here is touched from elsewhere.
final class BatchScheduler {
    let transformer: Transformer
    let tokenizer: Tokenizer
    let pool: KVCachePool
    let options: EngineOptions
    let contextSize: Int

    private(set) var active: [ActiveSequence] = []
    /// Caches of finished sequences kept for prefix reuse, least recently used first.
    private var retained: [(key: String?, kv: KVSequence)] = []
    private var rows: [BatchRow] = []
    private var logits = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var logitsRows = 0
    /// Measured forward-pass cost by row count; the draft-length policy reads it.
    private var costModel = StepCostModel()
    /// The same for decode and verification passes only (every row wants logits): what drafting weighs.
    private var verifyCostModel = StepCostModel()
    /// The draft model, when the engine loaded one.
    let draftModel: DraftModel?
    /// The vocabulary as the grammar sees it (token bytes in a trie); built on the first constrained request.
    private var grammarVocabulary: GrammarVocabulary?
    /// Sequences currently sharing the model (read by the engine for the UI's batch figure).
    var activeCount: Int { active.count }

    init(transformer: Transformer, tokenizer: Tokenizer, options: EngineOptions, contextSize: Int,
         draftModel: DraftModel? = nil) {
        self.transformer = transformer
        self.draftModel = draftModel
        self.tokenizer = tokenizer
        self.options = options
        self.contextSize = contextSize
        self.pool = transformer.makeCachePool(maxPositions: contextSize * max(2, options.maxSequences))
    }

    deinit { logits.deallocate() }

    var hasRoom: Bool { active.count < options.maxSequences }
    var isIdle: Bool { active.isEmpty }

    // MARK: Admission

    /// Starts a request: finds the longest cached prefix (its own last turn, or another sequence's shared
    /// system prompt), and queues the rest of the prompt for prefill.
    func admit(_ request: GenerationRequest) {
        let tokens = request.tokens
        guard !tokens.isEmpty else {
            request.continuation.finish(throwing: InferenceError.emptyPrompt)
            return
        }
        guard tokens.count < contextSize else {
            request.continuation.finish(throwing: InferenceError.contextOverflow(promptTokens: tokens.count,
                                                                                contextSize: contextSize))
            return
        }
        do { try request.parameters.sampling.validate() } catch {
            request.continuation.finish(throwing: error)
            return
        }
        var bestIndex: Int? = nil
        var bestLength = 0
        for (i, entry) in retained.enumerated() {
            let n = min(Self.commonPrefix(entry.kv.tokens, tokens), entry.kv.promptComputed)
            let sameKey = request.cacheKey != nil && entry.key == request.cacheKey
            if n > bestLength || (n == bestLength && n > 0 && sameKey) {
                bestLength = n
                bestIndex = i
            }
        }
        // Always recompute at least the last two prompt tokens: the last one's logits give the first generated
        // token, and a chunk of two or more rows is computed in the prompt order, exactly as a cold run would.
        let reuse = max(0, min(bestLength, tokens.count - 2))
        var kv = KVSequence()
        if let i = bestIndex, reuse > 0 {
            if request.cacheKey != nil && retained[i].key == request.cacheKey {
                kv = retained.remove(at: i).kv
                pool.trim(&kv, to: reuse)
            } else {
                kv = pool.fork(retained[i].kv, length: reuse)
                retained.append(retained.remove(at: i))  // mark as recently used
            }
        }
        var sampler = Sampler(parameters: request.parameters.sampling)
        for t in tokens.suffix(request.parameters.sampling.penaltyWindow) { sampler.accept(t) }
        var seq = ActiveSequence(request: request, kv: kv, sampler: sampler,
                                 detokenizer: StreamingDetokenizer(tokenizer: tokenizer),
                                 stopMatcher: StopMatcher(stops: request.parameters.stopSequences))
        let spec = request.parameters.speculation
        if let grammar = request.parameters.grammar {
            if grammarVocabulary == nil { grammarVocabulary = GrammarVocabulary(tokenizer: tokenizer) }
            if let vocabulary = grammarVocabulary {
                seq.constraint = GrammarConstraint(grammar: grammar, vocabulary: vocabulary)
            }
        }
        if spec.isEnabled && seq.constraint == nil {
            // Each drafter's token cost relative to a one-row pass of the target, until measured.
            var costs: [Double] = []
            let targetWork = DraftController.tokenWork(transformer.config)
            for kind in spec.drafters {
                switch kind {
                case .lookup:
                    seq.drafters.append(PromptLookupDrafter())
                    costs.append(0)
                case .selfDraft(let layers):
                    let total = transformer.config.layerCount
                    let exit = min(max(1, layers ?? total / 2), total - 1)
                    seq.drafters.append(LayerSkipDrafter(exitLayer: exit))
                    costs.append(DraftController.tokenWork(transformer.config, layers: exit) / targetWork)
                case .draftModel:
                    guard let draftModel else {
                        request.continuation.finish(throwing: InferenceError.invalidParameter(
                            name: "--spec", value: "draft", expected: "a draft model loaded with --draft-model PATH"))
                        return
                    }
                    seq.drafters.append(DraftModelDrafter(model: draftModel))
                    costs.append(DraftController.tokenWork(draftModel.transformer.config) / targetWork)
                }
            }
            seq.controller = DraftController(options: spec, relativeCosts: costs)
        }
        seq.stats.startTime = request.submitted
        seq.stats.promptTokens = tokens.count
        seq.stats.cachedTokens = kv.count
        active.append(seq)
    }

    static func commonPrefix(_ a: [TokenID], _ b: [TokenID]) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n && a[i] == b[i] { i += 1 }
        return i
    }

    // MARK: One step

    /// Runs one forward pass over all active sequences and delivers what it produced.
    func step() {
        dropCancelled()
        guard !active.isEmpty else { return }
        rows.removeAll(keepingCapacity: true)
        var plannedRows = [Int](repeating: 0, count: active.count)
        let decoding = active.contains { $0.phase == .decoding }
        // While others decode, all prefilling sequences together get `prefillChunk` rows per step, first come
        // first served, so the decoders' next token is never more than one chunk away.
        var prefillBudget = decoding ? max(2, options.prefillChunk) : Int.max
        var waiting = [Bool](repeating: false, count: active.count)
        // Prompt positions computed before this step: only those may be shared (planning below already counts the
        // rows this step will compute, and a block copied now would miss them).
        let computed = active.map(\.kv.promptComputed)
        var i = 0
        while i < active.count {
            var seq = active[i]
            var newTokens: [TokenID]
            switch seq.phase {
            case .decoding:
                seq.drafts = draft(&seq)
                newTokens = [seq.pendingToken] + seq.drafts
            case .prefilling:
                if !seq.started {
                    attachSharedPrefix(&seq, index: i, computed: computed)
                    if waitsForLeader(seq, index: i, waiting: waiting, computed: computed) || prefillBudget < 2 {
                        waiting[i] = true
                        active[i] = seq
                        i += 1
                        continue
                    }
                    seq.started = true
                    seq.stats.cachedTokens = seq.kv.count
                } else if prefillBudget < 2 {
                    i += 1
                    continue
                }
                let start = seq.kv.count
                let allowed = min(prefillBudget, decoding ? options.prefillChunk : seq.prompt.count)
                var end = min(seq.prompt.count, start + allowed)
                // Never leave a lone last row: a one-row chunk sums attention in the one-token order, so the
                // result would depend on how the prompt was split.
                if seq.prompt.count - end == 1 { end += 1 }
                newTokens = Array(seq.prompt[start..<end])
                prefillBudget -= newTokens.count
            }
            let start = seq.kv.count
            if start + newTokens.count > contextSize {
                active[i] = seq
                finish(at: i, reason: .contextFull)
                plannedRows.remove(at: i)
                waiting.remove(at: i)
                continue
            }
            if !reserve(&seq.kv, length: start + newTokens.count, writeFrom: start) {
                active[i] = seq
                fail(at: i, InferenceError.contextOverflow(promptTokens: start + newTokens.count,
                                                           contextSize: pool.maxBlocks * pool.blockSize))
                plannedRows.remove(at: i)
                waiting.remove(at: i)
                continue
            }
            let lastOfPrompt = seq.phase == .prefilling && start + newTokens.count == seq.prompt.count
            for (j, t) in newTokens.enumerated() {
                let wants = seq.phase == .decoding || (lastOfPrompt && j == newTokens.count - 1)
                rows.append(BatchRow(token: t, position: start + j, slot: i, wantsLogits: wants))
            }
            if seq.phase == .prefilling && newTokens.count > 1 && seq.kv.promptComputed == start {
                seq.kv.promptComputed = start + newTokens.count
            }
            seq.kv.tokens.append(contentsOf: newTokens)
            plannedRows[i] = newTokens.count
            active[i] = seq
            i += 1
        }
        guard !rows.isEmpty else { return }

        let wanted = rows.reduce(0) { $0 + ($1.wantsLogits ? 1 : 0) }
        ensureLogits(rows: wanted)
        let tables = active.map(\.kv.blocks)
        let began = MonotonicClock.now()
        rows.withUnsafeBufferPointer { buf in
            transformer.forward(rows: buf, tables: tables, pool: pool, logits: logits)
        }
        let now = MonotonicClock.now()
        let elapsed = now - began
        let totalRows = Double(rows.count)
        costModel.record(rows: rows.count, seconds: elapsed)
        // Only passes whose every row wants logits (decode and verification) teach the draft policy: a prompt
        // chunk skips the output head for all rows but one and batches its attention, so its rows are cheaper
        // than verification rows and would make long drafts look affordable.
        if wanted == rows.count { verifyCostModel.record(rows: rows.count, seconds: elapsed) }

        // Deliver: walk sequences in slot order; logits rows are packed in the same order.
        let vocab = transformer.config.vocabularySize
        var logitsRow = 0
        var finished: [(Int, StopReason)] = []
        let sharing = plannedRows.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        for s in active.indices {
            guard plannedRows[s] > 0 else { continue }
            active[s].stats.computeSeconds += elapsed * Double(plannedRows[s]) / totalRows
            active[s].stepSeconds += elapsed
            active[s].stats.soloComputeSeconds += sharing == 1 ? elapsed : soloEstimate(rows: plannedRows[s])
            active[s].batchSizeSum += sharing
            active[s].steps += 1
            let seqWantsLogits = active[s].phase == .decoding || active[s].remainingPrompt == 0
            guard seqWantsLogits else { continue }
            let l = logits + logitsRow * vocab
            if active[s].phase == .prefilling {
                logitsRow += 1
                active[s].phase = .decoding
                active[s].request.continuation.yield(.prefilled(promptTokens: active[s].stats.promptTokens,
                                                                cachedTokens: active[s].stats.cachedTokens,
                                                                time: now))
                active[s].constraint?.apply(to: l, count: vocab)
                let token = active[s].sampler.sample(l, count: vocab)
                active[s].sampler.accept(token)
                active[s].constraint?.accept(token)
                let fed = active[s].kv.count
                if let reason = emit(token, into: &active[s], now: now, fed: fed) { finished.append((s, reason)) }
                continue
            }
            let drafts = active[s].drafts
            let start = active[s].kv.count - drafts.count - 1
            logitsRow += drafts.count + 1
            // Constrained sequences never draft, so their single row is masked before it is sampled.
            if drafts.isEmpty { active[s].constraint?.apply(to: l, count: vocab) }
            let (tokens, accepted) = Verifier.acceptPrefix(logits: l, vocabulary: vocab, drafts: drafts,
                                                           sampler: &active[s].sampler)
            if !drafts.isEmpty {
                // Keep the cache of the pending token and the accepted drafts; forget the rejected ones.
                pool.trim(&active[s].kv, to: start + 1 + accepted)
                active[s].stats.draftedTokens += drafts.count
                active[s].stats.acceptedTokens += accepted
                active[s].controller?.record(active[s].draftSource, drafted: drafts.count, accepted: accepted)
                active[s].request.continuation.yield(.speculation(drafted: drafts.count, accepted: accepted))
                observeDrafters(&active[s], accepted: accepted)
            }
            active[s].drafts = []
            if drafts.isEmpty, let t = tokens.first { active[s].constraint?.accept(t) }
            for (j, token) in tokens.enumerated() {
                // Token j follows start + 1 + j fed tokens, exactly as in plain decoding.
                if let reason = emit(token, into: &active[s], now: now, fed: start + 1 + j) {
                    finished.append((s, reason))
                    break
                }
            }
        }
        for (s, reason) in finished.reversed() { finish(at: s, reason: reason) }
    }

    // MARK: Shared prefixes

    /// Gives a sequence that has not started prefilling the longest prompt prefix another running sequence has
    /// already computed (sub-agents sharing a system prompt and tools), if it beats what it holds. The blocks are
    /// shared, not copied; the first write into a shared block copies it (`KVCachePool.reserve`).
    private func attachSharedPrefix(_ seq: inout ActiveSequence, index: Int, computed: [Int]) {
        var best = seq.kv.count
        var source: Int? = nil
        for (j, other) in active.enumerated() where j != index {
            let n = min(Self.commonPrefix(other.kv.tokens, seq.prompt), computed[j])
            let usable = max(0, min(n, seq.prompt.count - 2))
            if usable > best {
                best = usable
                source = j
            }
        }
        guard let j = source else { return }
        pool.clear(&seq.kv)
        seq.kv = pool.fork(active[j].kv, length: best)
    }

    /// True when an earlier running sequence is about to compute a prompt prefix this one shares (at least one
    /// cache block more than it holds): waiting a step and then sharing those blocks beats computing them twice.
    /// Only sequences that do not wait themselves lead, so the first sequence always runs and nothing deadlocks.
    private func waitsForLeader(_ seq: ActiveSequence, index: Int, waiting: [Bool], computed: [Int]) -> Bool {
        for j in 0..<index where !waiting[j] && active[j].phase == .prefilling {
            let shared = min(Self.commonPrefix(active[j].prompt, seq.prompt), seq.prompt.count - 2)
            if shared - seq.kv.count >= pool.blockSize && computed[j] < shared { return true }
        }
        return false
    }

    /// Seconds a sequence's `rows` would have taken in a pass of its own (the saving batching brings is the
    /// difference to its share of the shared pass).
    private func soloEstimate(rows: Int) -> Double {
        let cap = 64
        return rows <= cap ? costModel.estimate(rows: rows) : costModel.estimate(rows: cap) * Double(rows) / Double(cap)
    }

    /// Drafts for a decoding sequence: the first drafter its controller lets draft this step and that proposes
    /// something, for the length the controller chooses (bounded by what the sequence may still generate and the
    /// context). Records which drafter it was, so the verification's outcome is credited to it.
    private func draft(_ seq: inout ActiveSequence) -> [TokenID] {
        guard var controller = seq.controller, !seq.drafters.isEmpty else { return [] }
        defer { seq.controller = controller }
        let params = seq.request.parameters
        let room = min(params.maxTokens - seq.stats.generatedTokens - 1, contextSize - seq.kv.count - 1)
        guard room > 0 else { return [] }
        var context: DraftContext? = nil
        // Rule for batches: while several sequences share the passes, only drafters that cost no forward pass
        // (prompt lookup) propose. A model drafter runs one-row passes per sequence, one after another, which a
        // batch has already made unnecessary: its verification rows are what the batch fills the pass with anyway.
        // Speculation state stays per sequence either way, and verification is exact, so outputs never change.
        let shared = active.count > 1
        for i in seq.drafters.indices {
            if shared && !(seq.drafters[i] is PromptLookupDrafter) { continue }
            let k = min(controller.draftLength(i, cost: verifyCostModel), room)
            guard k > 0 else { continue }
            if context == nil {
                context = DraftContext(history: seq.kv.tokens + [seq.pendingToken], transformer: transformer,
                                       pool: pool, kv: seq.kv)
            }
            guard var c = context else { break }
            let began = MonotonicClock.now()
            let result = seq.drafters[i].draft(&c, max: k)
            controller.recordDraftTime(i, seconds: MonotonicClock.now() - began, tokens: result.count)
            context = c
            seq.kv = c.kv
            if !result.isEmpty {
                seq.draftSource = i
                return Array(result.prefix(k))
            }
        }
        return []
    }

    private func observeDrafters(_ seq: inout ActiveSequence, accepted: Int) {
        var context = DraftContext(history: seq.kv.tokens, transformer: transformer, pool: pool, kv: seq.kv)
        for i in seq.drafters.indices { seq.drafters[i].observe(accepted: accepted, context: &context) }
        seq.kv = context.kv
    }

    /// Streams one accepted token of a sequence and says whether the sequence is done.
    /// - Parameter fed: tokens in the cache before this one (its position); decides when the context is full.
    private func emit(_ token: TokenID, into seq: inout ActiveSequence, now: Double, fed: Int) -> StopReason? {
        if seq.stats.generatedTokens == 0 {
            seq.stats.firstTokenTime = now
        } else {
            seq.stats.interTokenLatencies.append(now - seq.lastTokenTime)
        }
        seq.lastTokenTime = now
        seq.stats.generatedTokens += 1
        let params = seq.request.parameters
        if tokenizer.isEndOfGeneration(token) && !params.ignoreEndOfGeneration {
            seq.request.continuation.yield(.token(token, text: "", time: now))
            return .endOfGeneration
        }
        let text = seq.detokenizer.append(token)
        let (shown, stop) = seq.stopMatcher.feed(text)
        seq.request.continuation.yield(.token(token, text: shown, time: now))
        if let stop { return .stopSequence(stop) }
        if let c = seq.constraint, c.isComplete { return .endOfGeneration }
        seq.pendingToken = token
        if seq.stats.generatedTokens >= params.maxTokens { return .maxTokens }
        if fed + 1 > contextSize { return .contextFull }
        return nil
    }

    // MARK: Ending sequences

    private func dropCancelled() {
        var i = active.count - 1
        while i >= 0 {
            if active[i].request.isCancelled { finish(at: i, reason: .cancelled) }
            i -= 1
        }
    }

    private func finish(at index: Int, reason: StopReason) {
        var seq = active.remove(at: index)
        for i in seq.drafters.indices { seq.drafters[i].finish() }
        let now = MonotonicClock.now()
        var tail = seq.detokenizer.finish()
        if case .stopSequence = reason { tail = "" } else { tail = seq.stopMatcher.feed(tail).emit + seq.stopMatcher.flush() }
        if !tail.isEmpty { seq.request.continuation.yield(.text(tail)) }
        seq.stats.endTime = now
        if seq.stats.firstTokenTime == 0 { seq.stats.firstTokenTime = now }
        if seq.steps > 0 { seq.stats.meanBatchSize = Double(seq.batchSizeSum) / Double(seq.steps) }
        if seq.stepSeconds > 0 { seq.stats.computeShare = seq.stats.computeSeconds / seq.stepSeconds }
        seq.request.continuation.yield(.finished(reason, seq.stats))
        seq.request.continuation.finish()
        retain(seq.request.cacheKey, seq.kv)
    }

    private func fail(at index: Int, _ error: InferenceError) {
        var seq = active.remove(at: index)
        for i in seq.drafters.indices { seq.drafters[i].finish() }
        pool.clear(&seq.kv)
        seq.request.continuation.finish(throwing: error)
    }

    private func retain(_ key: String?, _ kv: KVSequence) {
        var kv = kv
        if options.retainedSequences == 0 || kv.count == 0 {
            pool.clear(&kv)
            return
        }
        if let key, let i = retained.firstIndex(where: { $0.key == key }) {
            var old = retained.remove(at: i).kv
            pool.clear(&old)
        }
        retained.append((key, kv))
        while retained.count > options.retainedSequences { evictOldest() }
    }

    @discardableResult
    private func evictOldest() -> Bool {
        guard !retained.isEmpty else { return false }
        var kv = retained.removeFirst().kv
        pool.clear(&kv)
        return true
    }

    /// Reserves cache blocks, evicting retained caches when the pool is full.
    private func reserve(_ kv: inout KVSequence, length: Int, writeFrom: Int) -> Bool {
        while !pool.reserve(&kv, length: length, writeFrom: writeFrom) {
            if !evictOldest() { return false }
        }
        return true
    }

    /// Forgets every retained cache (the user cleared the conversation).
    func dropRetained() {
        while evictOldest() {}
    }

    private func ensureLogits(rows n: Int) {
        guard n > logitsRows else { return }
        logits.deallocate()
        logits = .allocate(capacity: n * transformer.config.vocabularySize)
        logitsRows = n
    }

    /// Ends every active sequence with an error (engine shutting down).
    func abortAll(_ error: InferenceError) {
        while !active.isEmpty { fail(at: active.count - 1, error) }
    }
}
