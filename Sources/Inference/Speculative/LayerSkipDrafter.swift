// Self-speculative decoding: the target drafts with its own first layers (early exit) and verifies with all of
// them. It shares the weights and the cache: drafting writes the early layers' keys and values at the draft
// positions, and the verification pass overwrites them with the full model's.

/// Early-exit drafting through the first `exitLayer` layers of the target model.
struct LayerSkipDrafter: Drafter {
    let exitLayer: Int
    private var logits: [Float] = []

    init(exitLayer: Int) { self.exitLayer = exitLayer }

    mutating func draft(_ context: inout DraftContext, max: Int) -> [TokenID] {
        let vocab = context.transformer.config.vocabularySize
        if logits.count != vocab { logits = [Float](repeating: 0, count: vocab) }
        var token = context.history.last ?? 0
        var position = context.kv.count
        var drafts: [TokenID] = []
        for _ in 0..<max {
            guard context.pool.reserve(&context.kv, length: position + 1, writeFrom: position) else { break }
            let row = [BatchRow(token: token, position: position, slot: 0, wantsLogits: true)]
            let tables = [context.kv.blocks]
            let transformer = context.transformer, pool = context.pool, layers = exitLayer
            logits.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                row.withUnsafeBufferPointer { rows in
                    transformer.forward(rows: rows, tables: tables, pool: pool, logits: base, layers: layers)
                }
            }
            token = logits.withUnsafeBufferPointer { Sampler.argmax($0.baseAddress!, count: vocab) }
            drafts.append(token)
            position += 1
        }
        return drafts
    }

    mutating func observe(accepted: Int, context: inout DraftContext) {}
    mutating func finish() {}
}
