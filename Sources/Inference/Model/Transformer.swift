// The llama-family forward pass, top to bottom like the math: embed → (norm → attention → residual →
// norm → SwiGLU → residual) × layers → norm → output head. One call runs a batch of rows (tokens) that may
// belong to different sequences, each at its own position with its own KV blocks, and reads the weights once.
import Foundation
import GGUF
import Kernels

/// One token of a batch: which token, at which position of which sequence, and whether its logits are needed.
public struct BatchRow: Sendable, Equatable {
    public var token: TokenID
    public var position: Int
    /// Index into the block tables passed with the batch.
    public var slot: Int
    public var wantsLogits: Bool

    public init(token: TokenID, position: Int, slot: Int, wantsLogits: Bool) {
        self.token = token
        self.position = position
        self.slot = slot
        self.wantsLogits = wantsLogits
    }
}

/// A loaded model ready to run. Owns its scratch buffers and thread pool, so one thread drives it at a time
/// (the scheduler); concurrency comes from batching rows, not from calling it from several threads.
public final class Transformer: @unchecked Sendable {
    public let config: ModelConfig
    public let weights: ModelWeights
    public let engine: MatMulEngine
    /// Keys, values, queries and attention weights rounded through F16 (llama.cpp's default cache precision),
    /// or kept in F32.
    public let halfPrecisionAttention: Bool
    let activations: Activations
    /// Writes intermediate tensors for op-by-op comparison with llama.cpp (TOKENWORKS_TRACE_DIR); nil normally.
    let tracer = ForwardTracer.fromEnvironment()
    /// Number of layers a forward pass runs; self-drafting runs fewer (early exit).
    public var threadCount: Int { engine.pool.threadCount }

    public init(file: GGUFFile, threads: Int, halfPrecisionAttention: Bool = true) throws(InferenceError) {
        self.halfPrecisionAttention = halfPrecisionAttention
        let config = try ModelConfig(gguf: file)
        self.config = config
        let engine = MatMulEngine(threads: max(1, threads))
        var weights = try ModelWeights(file: file, config: config)
        // Repack the matrices once into the layout the kernels stream fastest (8-row groups); the embedding
        // table stays mapped for row lookups. The file pages read while packing are then released, so resident
        // memory is about one copy of the weights.
        for i in weights.layers.indices {
            var l = weights.layers[i]
            l.query = engine.pack(l.query); l.key = engine.pack(l.key); l.value = engine.pack(l.value)
            l.output = engine.pack(l.output)
            l.gate = engine.pack(l.gate); l.up = engine.pack(l.up); l.down = engine.pack(l.down)
            weights.layers[i] = l
        }
        weights.output = engine.pack(weights.output)
        file.mapping.advise(.dontNeed)
        self.weights = weights
        self.engine = engine
        self.activations = Activations(config: config, threads: max(1, threads))
    }

    /// Makes a KV pool sized for `maxPositions` positions over all sequences of this model.
    public func makeCachePool(maxPositions: Int) -> KVCachePool {
        KVCachePool(layerCount: config.layerCount, kvDimension: config.kvDimension, maxPositions: maxPositions)
    }

    /// Runs `rows` through the model and writes the logits of rows with `wantsLogits` into `logits`
    /// ((rows wanting logits) × vocabularySize, in row order).
    ///
    /// - Parameters:
    ///   - layers: how many transformer blocks to run (all by default; fewer for early-exit drafting).
    /// - Precondition: every row's position is covered by its slot's block table in `pool`, the blocks it
    ///   writes are private to that sequence (`KVCachePool.reserve`), and positions of one slot ascend.
    public func forward(rows: UnsafeBufferPointer<BatchRow>, tables: [[Int]], pool: KVCachePool,
                        logits: UnsafeMutablePointer<Float>, layers: Int? = nil) {
        let n = rows.count
        guard n > 0 else { return }
        let c = config
        let a = activations
        a.ensure(rows: n)
        let d = c.embeddingLength
        tracer?.beginStep()

        // Embedding lookup.
        for r in 0..<n {
            let token = Int(rows[r].token)
            let safe = token >= 0 && token < c.vocabularySize ? token : 0
            engine.dequantizeRow(weights.tokenEmbedding, row: safe, into: a.x + r * d)
        }
        // RoPE tables per row.
        let half = c.ropeDimensions / 2
        weights.ropeFrequencyFactors.withUnsafeBufferPointer { factors in
            for r in 0..<n {
                Ops.ropeTable(position: rows[r].position, dimensions: c.ropeDimensions, base: c.ropeFrequencyBase,
                              linearScale: c.ropeLinearScale, factors: factors,
                              cos: a.cos + r * half, sin: a.sin + r * half)
            }
        }
        var maxPosition = 0
        for r in 0..<n { maxPosition = max(maxPosition, rows[r].position) }
        let batched = Transformer.promptChunkRows(rows, slots: tables.count)
        a.ensure(scorePositions: maxPosition + 1)
        tracer?.record("embd@GET_ROWS", a.x, count: n * d)

        let layerCount = min(layers ?? c.layerCount, c.layerCount)
        for l in 0..<layerCount {
            let w = weights.layers[l]
            // Attention block.
            normalizeRows(n, weight: w.attentionNorm)
            tracer?.record("attn_norm-\(l)@MUL", a.normed, count: n * d)
            engine.matmul(sharing: a.normed, count: n, (w.query, a.q), (w.key, a.k), (w.value, a.v))
            tracer?.record("Qcur-\(l)@MUL_MAT", a.q, count: n * c.queryDimension)
            tracer?.record("Kcur-\(l)@MUL_MAT", a.k, count: n * c.kvDimension)
            tracer?.record("Vcur-\(l)@MUL_MAT", a.v, count: n * c.kvDimension)
            if c.architecture.hasQKVBias {
                addBias(w.queryBias, to: a.q, rows: n, width: c.queryDimension)
                addBias(w.keyBias, to: a.k, rows: n, width: c.kvDimension)
                addBias(w.valueBias, to: a.v, rows: n, width: c.kvDimension)
            }
            applyRope(rows: n)
            tracer?.record("Qcur-\(l)@ROPE", a.q, count: n * c.queryDimension)
            tracer?.record("Kcur-\(l)@ROPE", a.k, count: n * c.kvDimension)
            storeKeysAndValues(rows: rows, tables: tables, pool: pool, layer: l)
            attend(rows: rows, batched: batched, tables: tables, pool: pool, layer: l)
            tracer?.record("kqv_out-\(l)@CONT", a.attention, count: n * c.queryDimension)
            engine.matmul(w.output, a.attention, count: n, into: a.projected)
            tracer?.record("attn_out-\(l)@MUL_MAT", a.projected, count: n * d)
            Ops.add(a.projected, into: a.x, count: n * d)
            tracer?.record("ffn_inp-\(l)@ADD", a.x, count: n * d)

            // Feed-forward block.
            normalizeRows(n, weight: w.feedForwardNorm)
            tracer?.record("ffn_norm-\(l)@MUL", a.normed, count: n * d)
            engine.matmul(sharing: a.normed, count: n, (w.gate, a.gate), (w.up, a.up))
            tracer?.record("ffn_gate-\(l)@MUL_MAT", a.gate, count: n * c.feedForwardLength)
            tracer?.record("ffn_up-\(l)@MUL_MAT", a.up, count: n * c.feedForwardLength)
            swiglu(rows: n)
            tracer?.record("ffn_swiglu-\(l)@SWIGLU", a.gate, count: n * c.feedForwardLength)
            engine.matmul(w.down, a.gate, count: n, into: a.projected)
            tracer?.record("ffn_out-\(l)@MUL_MAT", a.projected, count: n * d)
            Ops.add(a.projected, into: a.x, count: n * d)
            tracer?.record("l_out-\(l)@ADD", a.x, count: n * d)
        }

        // Output head for the rows that need logits, packed contiguously.
        var m = 0
        weights.outputNorm.withUnsafeBufferPointer { norm in
            guard let weight = norm.baseAddress else { return }
            for r in 0..<n where rows[r].wantsLogits {
                Ops.rmsNorm(a.x + r * d, weight, a.normed + m * d, count: d, epsilon: c.rmsEpsilon)
                m += 1
            }
        }
        tracer?.record("result_norm@MUL", a.normed, count: m * d)
        if m > 0 { engine.matmul(weights.output, a.normed, count: m, into: logits) }
        tracer?.record("result_output@MUL_MAT", logits, count: m * c.vocabularySize)
    }

    /// gate = silu(gate) · up for the first n rows, the rows of a batch spread over the pool (element-wise, so the
    /// split changes no bit; a lone row is not worth waking the workers for).
    private func swiglu(rows n: Int) {
        let ops = engine.kernels.floatOps, ff = config.feedForwardLength
        let gate = activations.gate, up = activations.up
        guard n >= 4, ff % 64 == 0 else {  // whole vectors per row, so no element moves to a scalar tail
            ops.swiglu(gate, gate, up, n * ff)
            return
        }
        engine.pool.parallelFor(n, chunk: max(1, n / (2 * engine.pool.threadCount))) { _, range in
            let start = range.lowerBound * ff
            ops.swiglu(gate + start, gate + start, up + start, range.count * ff)
        }
    }

    /// normed[r] = rmsNorm(x[r]) * weight for the first n rows (a batch's rows spread over the pool: each row is
    /// computed alone either way, so the split changes no bit).
    private func normalizeRows(_ n: Int, weight: [Float]) {
        let a = activations, d = config.embeddingLength, eps = config.rmsEpsilon
        weight.withUnsafeBufferPointer { norm in
            guard let w = norm.baseAddress else { return }
            forEachRow(n) { r in Ops.rmsNorm(a.x + r * d, w, a.normed + r * d, count: d, epsilon: eps) }
        }
    }

    /// Runs `body` for rows 0..<n: on the pool for 4 rows or more (a batch of decode rows, a prompt chunk), on
    /// this thread for fewer, where waking the workers costs more than the rows.
    private func forEachRow(_ n: Int, _ body: (Int) -> Void) {
        guard n >= 4 else {
            for r in 0..<n { body(r) }
            return
        }
        engine.pool.parallelFor(n, chunk: max(1, n / (2 * engine.pool.threadCount))) { _, range in
            for r in range { body(r) }
        }
    }

    private func addBias(_ bias: [Float], to x: UnsafeMutablePointer<Float>, rows n: Int, width: Int) {
        bias.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            for r in 0..<n { Ops.add(base, into: x + r * width, count: width) }
        }
    }

    private func applyRope(rows n: Int) {
        let c = config
        let a = activations
        let half = c.ropeDimensions / 2
        let style = c.architecture.ropeStyle
        forEachRow(n) { r in
            let cos = a.cos + r * half, sin = a.sin + r * half
            for h in 0..<c.headCount {
                Ops.rope(a.q + r * c.queryDimension + h * c.headDimension, dimensions: c.ropeDimensions,
                         style: style, cos: cos, sin: sin)
            }
            for h in 0..<c.kvHeadCount {
                Ops.rope(a.k + r * c.kvDimension + h * c.headDimension, dimensions: c.ropeDimensions,
                         style: style, cos: cos, sin: sin)
            }
        }
    }

    private func storeKeysAndValues(rows: UnsafeBufferPointer<BatchRow>, tables: [[Int]], pool: KVCachePool,
                                    layer: Int) {
        let kvd = config.kvDimension
        let a = activations
        for r in 0..<rows.count {
            let row = rows[r]
            let block = tables[row.slot][row.position / pool.blockSize]
            let offset = (row.position % pool.blockSize) * kvd
            let keys = pool.keys(block, layer: layer) + offset, values = pool.values(block, layer: layer) + offset
            keys.update(from: a.k + r * kvd, count: kvd)
            values.update(from: a.v + r * kvd, count: kvd)
            if halfPrecisionAttention {
                engine.kernels.floatOps.roundToHalf(keys, kvd)
                engine.kernels.floatOps.roundToHalf(values, kvd)
            }
        }
    }

    /// Which rows llama.cpp would multiply as part of a prompt ubatch (tinyBLAS order) rather than as a lone token
    /// (ggml_vec_dot_f16 order): rows of a sequence that brings two or more rows to this call, not all of which
    /// want logits — a prompt chunk. Decode rows and speculative verification rows (every row wants logits) take
    /// the one-token order, so verifying drafts in a batch gives exactly the logits plain decoding gives, and the
    /// answer never depends on what else shares the batch. nil when no row is batched (the decode hot path).
    static func promptChunkRows(_ rows: UnsafeBufferPointer<BatchRow>, slots: Int) -> [Bool]? {
        guard rows.count > 1 else { return nil }
        var count = [Int](repeating: 0, count: slots), allWant = [Bool](repeating: true, count: slots)
        for row in rows where row.slot >= 0 && row.slot < slots {
            count[row.slot] += 1
            if !row.wantsLogits { allWant[row.slot] = false }
        }
        let flags = rows.map { $0.slot >= 0 && $0.slot < slots && count[$0.slot] > 1 && !allWant[$0.slot] }
        return flags.contains(true) ? flags : nil
    }

    /// Causal attention: each row attends to positions 0...position of its own sequence, one (row, head) pair
    /// per work item spread over the thread pool. The arithmetic is llama.cpp's non-flash path with an F16 cache:
    /// F16 query · F16 keys, scale, softmax, probabilities rounded to F16, then the value product as a dot over
    /// positions — in tinyBLAS's order for rows of a prompt chunk (`batched`, see `promptChunkRows`) and in
    /// ggml_vec_dot_f16's order for the others.
    private func attend(rows: UnsafeBufferPointer<BatchRow>, batched: [Bool]?, tables: [[Int]], pool: KVCachePool,
                        layer: Int) {
        let c = config
        let a = activations
        let headDim = c.headDimension
        let kvd = c.kvDimension
        let group = c.headCount / c.kvHeadCount
        let scale = 1 / Float(headDim).squareRoot()
        let blockSize = pool.blockSize
        let items = rows.count * c.headCount
        let scoreStride = a.scoreCapacity
        let scoresBase = a.scores, lanesBase = a.valueLanes
        let qBase = a.q, outBase = a.attention
        let half = halfPrecisionAttention
        let ops = engine.kernels.floatOps
        // Decode rows' value product without a 64-lane buffer in memory (same bits), when the kernels have it.
        let decodeValues = headDim % 16 == 0 ? engine.smallBatch?.decodeValues : nil
        if half { ops.roundToHalf(a.q, rows.count * c.queryDimension) }
        engine.pool.parallelFor(items) { thread, range in
            let scores = scoresBase + thread * scoreStride
            let acc = lanesBase + thread * 64 * headDim
            for item in range {
                let r = item / c.headCount, h = item % c.headCount
                let row = rows[r]
                let table = tables[row.slot]
                let kvHead = h / group
                let q = UnsafePointer(qBase + r * c.queryDimension + h * headDim)
                let count = row.position + 1
                let batch = batched?[r] ?? false
                let lanes = FloatOps.valueLanes(batch: batch)
                var t = 0
                while t < count {
                    let block = table[t / blockSize]
                    let keys = UnsafePointer(pool.keys(block, layer: layer)) + kvHead * headDim + (t % blockSize) * kvd
                    let end = min(count, (t / blockSize + 1) * blockSize)
                    ops.scores(q, keys, kvd, end - t, headDim, batch, scores + t)
                    t = end
                }
                for p in 0..<count { scores[p] *= scale }
                ops.softmax(scores, count)
                if half { ops.roundToHalf(scores, count) }
                let out = outBase + r * c.queryDimension + h * headDim
                if !batch, lanes == 64, let decodeValues {
                    let blocks = (count + blockSize - 1) / blockSize
                    withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: blocks) { pointers in
                        for b in 0..<blocks {
                            pointers[b] = UnsafePointer(pool.values(table[b], layer: layer)) + kvHead * headDim
                        }
                        if let base = pointers.baseAddress {
                            decodeValues(base, blockSize, kvd, scores, count, headDim, out)
                        }
                    }
                    continue
                }
                acc.update(repeating: 0, count: lanes * headDim)
                t = 0
                while t < count {
                    let block = table[t / blockSize]
                    let values = UnsafePointer(pool.values(block, layer: layer)) + kvHead * headDim
                        + (t % blockSize) * kvd
                    let end = min(count, (t / blockSize + 1) * blockSize)
                    ops.accumulate(acc, lanes, t, values, kvd, scores + t, end - t, headDim)
                    t = end
                }
                ops.laneReduce(acc, lanes, headDim, out)
            }
        }
    }
}
