// A second, smaller model used only to draft for the target; loaded with the engine and shared by all of its
// sequences (each keeps its own cache in the draft model's pool).
import GGUF

/// The draft model's weights, scratch and cache pool. Used only on the model thread.
final class DraftModel: @unchecked Sendable {
    let transformer: Transformer
    let pool: KVCachePool

    /// Loads the draft model and checks that it can draft for `target`: the same vocabulary, token for token.
    init(path: String, threads: Int, target: Tokenizer, contextSize: Int, maxSequences: Int) throws(InferenceError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw InferenceError.gguf(error) }
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(gguf: file) } catch { throw InferenceError.tokenizer(error.description) }
        guard tokenizer.count == target.count else {
            throw InferenceError.vocabularyMismatch(
                "the draft model has \(tokenizer.count) tokens and the target \(target.count); both must share one vocabulary")
        }
        for id in 0..<tokenizer.count {
            let t = TokenID(id)
            if tokenizer.pieceBytes(t, renderSpecial: true) != target.pieceBytes(t, renderSpecial: true) {
                let a = String(decoding: tokenizer.pieceBytes(t, renderSpecial: true), as: UTF8.self)
                let b = String(decoding: target.pieceBytes(t, renderSpecial: true), as: UTF8.self)
                throw InferenceError.vocabularyMismatch("token \(id) is '\(a)' in the draft model but '\(b)' in the target")
            }
        }
        transformer = try Transformer(file: file, threads: threads)
        pool = transformer.makeCachePool(maxPositions: contextSize * max(2, maxSequences))
    }
}

/// Drafts with the draft model: catches its cache up with the history, then decodes greedily.
struct DraftModelDrafter: Drafter {
    let model: DraftModel
    private var kv = KVSequence()
    private var logits: [Float] = []

    init(model: DraftModel) { self.model = model }

    mutating func draft(_ context: inout DraftContext, max: Int) -> [TokenID] {
        let t = model.transformer, pool = model.pool
        let vocab = t.config.vocabularySize
        if logits.count != vocab { logits = [Float](repeating: 0, count: vocab) }
        let history = context.history
        // Drop whatever the draft cache holds beyond the common prefix, then feed the rest in one pass.
        let common = BatchScheduler.commonPrefix(kv.tokens, history)
        pool.trim(&kv, to: min(common, history.count - 1))
        var drafts: [TokenID] = []
        var pending = Array(history[kv.count...])
        for step in 0...max {
            let start = kv.count
            guard !pending.isEmpty, pool.reserve(&kv, length: start + pending.count, writeFrom: start) else { break }
            let rows = pending.enumerated().map {
                BatchRow(token: $0.element, position: start + $0.offset, slot: 0,
                         wantsLogits: $0.offset == pending.count - 1)
            }
            kv.tokens.append(contentsOf: pending)
            let tables = [kv.blocks]
            logits.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                rows.withUnsafeBufferPointer { t.forward(rows: $0, tables: tables, pool: pool, logits: base) }
            }
            if step == max { break }
            let next = logits.withUnsafeBufferPointer { buf -> TokenID in
                guard let base = buf.baseAddress else { return 0 }
                return Sampler.argmax(base, count: vocab)
            }
            drafts.append(next)
            pending = [next]
            if drafts.count == max { break }
        }
        return drafts
    }

    mutating func observe(accepted: Int, context: inout DraftContext) {
        let common = BatchScheduler.commonPrefix(kv.tokens, context.history)
        model.pool.trim(&kv, to: common)
    }

    mutating func finish() { model.pool.clear(&kv) }
}
