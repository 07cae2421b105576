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
    let activations: Activations
    /// Writes intermediate tensors for op-by-op comparison with llama.cpp (TOKENWORKS_TRACE_DIR); nil normally.
    let tracer = ForwardTracer.fromEnvironment()
    /// Number of layers a forward pass runs; self-drafting runs fewer (early exit).
    public var threadCount: Int { engine.pool.threadCount }

    /// Keys and values are cached in F16 and queries and attention weights rounded through F16: llama.cpp's default
    /// cache precision, which the forward pass reproduces bit for bit.
    public init(file: GGUFFile, threads: Int) throws(InferenceError) {
        let config = try ModelConfig(gguf: file)
        self.config = config
        let engine = MatMulEngine(threads: max(1, threads))
        var weights = try ModelWeights(file: file, config: config)
        // Repack the matrices once into the layout the kernels stream fastest (8-row groups), or copy them as
        // they are, into one huge-page-backed region (MatMulEngine.prepare); the embedding table stays mapped for
        // row lookups. The file pages read meanwhile are then released, so resident memory is about one copy of
        // the weights.
        var matrices: [WeightMatrix] = []
        for l in weights.layers { matrices += [l.query, l.key, l.value, l.output, l.gate, l.up, l.down] }
        matrices.append(weights.output)
        var prepared = engine.prepare(matrices)[...]
        for i in weights.layers.indices {
            var l = weights.layers[i]
            l.query = prepared.removeFirst(); l.key = prepared.removeFirst(); l.value = prepared.removeFirst()
            l.output = prepared.removeFirst()
            l.gate = prepared.removeFirst(); l.up = prepared.removeFirst(); l.down = prepared.removeFirst()
            weights.layers[i] = l
        }
        if let output = prepared.popFirst() { weights.output = output }
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
        a.ensure(scorePositions: maxPosition + 1, blockSize: pool.blockSize)
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
            swigluRows(n)
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

    /// Runs `body` over row ranges covering 0..<n: on the thread pool for a prompt's rows (a single thread would
    /// leave the other cores spinning between matrix products), inline for a batch of decode rows, where a pool job
    /// (its hand-out and its wait for the last chunk) costs more than the rows: 16 measured 1-5 % faster batched
    /// steps at 4 sequences than 4 (interleaved A/B runs).
    private func forEachRowRange(_ n: Int, _ body: (Range<Int>) -> Void) {
        if n >= 16 {
            engine.pool.parallelFor(n) { _, range in body(range) }
        } else {
            body(0..<n)
        }
    }

    /// normed[r] = rmsNorm(x[r]) * weight for the first n rows.
    private func normalizeRows(_ n: Int, weight: [Float]) {
        let a = activations, d = config.embeddingLength, eps = config.rmsEpsilon
        weight.withUnsafeBufferPointer { norm in
            guard let w = norm.baseAddress else { return }
            forEachRowRange(n) { range in
                for r in range { Ops.rmsNorm(a.x + r * d, w, a.normed + r * d, count: d, epsilon: eps) }
            }
        }
    }

    /// gate = silu(gate) · up over n rows; split by rows only when a row is whole 16-element chunks, the unit of
    /// ggml's vectorised swiglu (so the split changes no result).
    private func swigluRows(_ n: Int) {
        let a = activations, f = config.feedForwardLength, ops = engine.kernels.floatOps
        guard f % 16 == 0 else {
            ops.swiglu(a.gate, a.gate, a.up, n * f)
            return
        }
        forEachRowRange(n) { range in
            ops.swiglu(a.gate + range.lowerBound * f, a.gate + range.lowerBound * f, a.up + range.lowerBound * f,
                       range.count * f)
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
        forEachRowRange(n) { range in
            for r in range {
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
            // Round to nearest even, as ggml's F16 cache copy.
            engine.kernels.convertActivations(.f16, a.k + r * kvd, into: keys, count: kvd)
            engine.kernels.convertActivations(.f16, a.v + r * kvd, into: values, count: kvd)
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

    /// Causal attention: each row attends to positions 0...position of its own sequence. A work item is one row and
    /// one KV head with the query heads that share it (their keys and values are read once), or a single query head
    /// when there are too few rows to keep every thread busy that way (decoding one sequence). The arithmetic is
    /// llama.cpp's non-flash path with an F16 cache: F16 query · F16 keys, scale, softmax, probabilities rounded to
    /// F16, then the value product as a dot over positions — in tinyBLAS's order for rows of a prompt chunk
    /// (`batched`, see `promptChunkRows`) and in ggml_vec_dot_f16's order for the others (FloatOps.attendGroup).
    private func attend(rows: UnsafeBufferPointer<BatchRow>, batched: [Bool]?, tables: [[Int]], pool: KVCachePool,
                        layer: Int) {
        let c = config
        let a = activations
        let headDim = c.headDimension
        let kvd = c.kvDimension
        let group = a.group
        let threads = engine.pool.threadCount
        let headsPerItem = rows.count * c.kvHeadCount >= 4 * threads ? group : 1
        let itemsPerRow = c.headCount / headsPerItem
        let scale = 1 / Float(headDim).squareRoot()
        let blockSize = pool.blockSize
        let scoreStride = a.scoreCapacity * group, laneStride = group * 64 * headDim
        let pointerStride = 2 * a.blockCapacity, blockCapacity = a.blockCapacity
        let scoresBase = a.scores, lanesBase = a.valueLanes, pointersBase = a.blockPointers
        let qBase = a.q, outBase = a.attention
        let ops = engine.kernels.floatOps
        ops.roundToHalf(a.q, rows.count * c.queryDimension)
        engine.pool.parallelFor(rows.count * itemsPerRow) { thread, range in
            let scores = scoresBase + thread * scoreStride
            let lanes = lanesBase + thread * laneStride
            let keys = pointersBase + thread * pointerStride, values = keys + blockCapacity
            for item in range {
                let r = item / itemsPerRow, firstHead = (item % itemsPerRow) * headsPerItem
                let kvHead = firstHead / group
                let row = rows[r]
                let table = tables[row.slot]
                let count = row.position + 1
                for b in 0..<(count + blockSize - 1) / blockSize {
                    keys[b] = UnsafePointer(pool.keys(table[b], layer: layer)) + kvHead * headDim
                    values[b] = UnsafePointer(pool.values(table[b], layer: layer)) + kvHead * headDim
                }
                let offset = r * c.queryDimension + firstHead * headDim
                ops.attendGroupHalf(UnsafePointer(qBase + offset), headsPerItem, headDim, keys, values, blockSize, kvd,
                                    count, scale, batched?[r] ?? false, true, scores, lanes, outBase + offset)
            }
        }
    }
}
