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
        a.ensure(scorePositions: maxPosition + 1)

        let layerCount = min(layers ?? c.layerCount, c.layerCount)
        for l in 0..<layerCount {
            let w = weights.layers[l]
            // Attention block.
            normalizeRows(n, weight: w.attentionNorm)
            engine.matmul(w.query, a.normed, count: n, into: a.q)
            engine.matmul(w.key, a.normed, count: n, into: a.k)
            engine.matmul(w.value, a.normed, count: n, into: a.v)
            if c.architecture.hasQKVBias {
                addBias(w.queryBias, to: a.q, rows: n, width: c.queryDimension)
                addBias(w.keyBias, to: a.k, rows: n, width: c.kvDimension)
                addBias(w.valueBias, to: a.v, rows: n, width: c.kvDimension)
            }
            applyRope(rows: n)
            storeKeysAndValues(rows: rows, tables: tables, pool: pool, layer: l)
            attend(rows: rows, tables: tables, pool: pool, layer: l)
            engine.matmul(w.output, a.attention, count: n, into: a.projected)
            Ops.add(a.projected, into: a.x, count: n * d)

            // Feed-forward block.
            normalizeRows(n, weight: w.feedForwardNorm)
            engine.matmul(w.gate, a.normed, count: n, into: a.gate)
            engine.matmul(w.up, a.normed, count: n, into: a.up)
            Ops.swiglu(a.gate, a.up, count: n * c.feedForwardLength)
            engine.matmul(w.down, a.gate, count: n, into: a.projected)
            Ops.add(a.projected, into: a.x, count: n * d)
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
        if m > 0 { engine.matmul(weights.output, a.normed, count: m, into: logits) }
    }

    /// normed[r] = rmsNorm(x[r]) * weight for the first n rows.
    private func normalizeRows(_ n: Int, weight: [Float]) {
        let a = activations, d = config.embeddingLength, eps = config.rmsEpsilon
        weight.withUnsafeBufferPointer { norm in
            guard let w = norm.baseAddress else { return }
            for r in 0..<n { Ops.rmsNorm(a.x + r * d, w, a.normed + r * d, count: d, epsilon: eps) }
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
        for r in 0..<n {
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
                Ops.roundToHalf(keys, count: kvd)
                Ops.roundToHalf(values, count: kvd)
            }
        }
    }

    /// Causal attention: each row attends to positions 0...position of its own sequence, one (row, head) pair
    /// per work item spread over the thread pool.
    private func attend(rows: UnsafeBufferPointer<BatchRow>, tables: [[Int]], pool: KVCachePool, layer: Int) {
        let c = config
        let a = activations
        let headDim = c.headDimension
        let kvd = c.kvDimension
        let group = c.headCount / c.kvHeadCount
        let scale = 1 / Float(headDim).squareRoot()
        let blockSize = pool.blockSize
        let items = rows.count * c.headCount
        let scoreStride = a.scoreCapacity
        let scoresBase = a.scores
        let qBase = a.q, outBase = a.attention
        let half = halfPrecisionAttention
        if half { Ops.roundToHalf(a.q, count: rows.count * c.queryDimension) }
        engine.pool.parallelFor(items) { thread, range in
            let scores = scoresBase + thread * scoreStride
            for item in range {
                let r = item / c.headCount, h = item % c.headCount
                let row = rows[r]
                let table = tables[row.slot]
                let kvHead = h / group
                let q = UnsafePointer(qBase + r * c.queryDimension + h * headDim)
                let count = row.position + 1
                var t = 0
                while t < count {
                    let block = table[t / blockSize]
                    let keys = UnsafePointer(pool.keys(block, layer: layer)) + kvHead * headDim
                    let end = min(count, (t / blockSize + 1) * blockSize)
                    for p in t..<end {
                        scores[p] = Ops.dot(q, keys + (p % blockSize) * kvd, count: headDim) * scale
                    }
                    t = end
                }
                Ops.softmax(scores, count: count)
                if half { Ops.roundToHalf(scores, count: count) }
                let out = outBase + r * c.queryDimension + h * headDim
                out.initialize(repeating: 0, count: headDim)
                t = 0
                while t < count {
                    let block = table[t / blockSize]
                    let values = UnsafePointer(pool.values(block, layer: layer)) + kvHead * headDim
                    let end = min(count, (t / blockSize + 1) * blockSize)
                    for p in t..<end {
                        Ops.axpy(scores[p], values + (p % blockSize) * kvd, out, count: headDim)
                    }
                    t = end
                }
            }
        }
    }
}
