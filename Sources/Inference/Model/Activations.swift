// Scratch buffers of the forward pass, allocated once for the largest batch seen and reused every step
// (llama2.c's RunState), so that decoding allocates nothing per token.

/// Buffers for `capacity` rows (tokens) at once; each doc comment gives the shape.
final class Activations {
    private(set) var capacity = 0
    /// (rows × embeddingLength) residual stream.
    var x = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (rows × embeddingLength) normalized input of a sub-block.
    var normed = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (rows × queryDimension) queries, then attention output.
    var q = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    var attention = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (rows × kvDimension) keys and values of the new rows before they go to the cache.
    var k = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    var v = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (rows × embeddingLength) output of a projection before it is added to the residual stream.
    var projected = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (rows × feedForwardLength) gate and up projections.
    var gate = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    var up = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (rows × ropeDimensions/2) cos and sin of each row's position.
    var cos = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    var sin = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// (threads × group × scoreCapacity) attention scores, one strip per worker thread holding a row per query
    /// head of a KV group (group = heads per KV head).
    var scores = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var scoreCapacity = 0
    /// (threads × group × 64 × headDimension) lane accumulators of the attention value product, per worker.
    let valueLanes: UnsafeMutablePointer<Float>
    /// (threads × 2 × blockCapacity) the key and value block pointers of one attention item, per worker.
    var blockPointers = UnsafeMutablePointer<UnsafePointer<UInt16>>.allocate(capacity: 1)
    private(set) var blockCapacity = 0
    let threads: Int
    let config: ModelConfig
    /// Query heads per KV head.
    let group: Int

    init(config: ModelConfig, threads: Int) {
        self.config = config
        self.threads = threads
        group = max(1, config.headCount / max(1, config.kvHeadCount))
        valueLanes = .allocate(capacity: threads * group * 64 * config.headDimension)
    }

    deinit {
        for p in [x, normed, q, attention, k, v, projected, gate, up, cos, sin, scores, valueLanes] { p.deallocate() }
        blockPointers.deallocate()
    }

    /// Grows the row buffers to hold `rows` rows; a no-op in steady-state decoding.
    func ensure(rows: Int) {
        guard rows > capacity else { return }
        let c = config
        func realloc(_ p: inout UnsafeMutablePointer<Float>, _ n: Int) {
            p.deallocate()
            p = .allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
        }
        realloc(&x, rows * c.embeddingLength)
        realloc(&normed, rows * c.embeddingLength)
        realloc(&q, rows * c.queryDimension)
        realloc(&attention, rows * c.queryDimension)
        realloc(&k, rows * c.kvDimension)
        realloc(&v, rows * c.kvDimension)
        realloc(&projected, rows * c.embeddingLength)
        realloc(&gate, rows * c.feedForwardLength)
        realloc(&up, rows * c.feedForwardLength)
        realloc(&cos, rows * c.ropeDimensions / 2)
        realloc(&sin, rows * c.ropeDimensions / 2)
        capacity = rows
    }

    /// Grows the per-thread score strips to cover `positions` keys, and the block pointer lists to cover them in
    /// blocks of `blockSize`.
    func ensure(scorePositions positions: Int, blockSize: Int) {
        if positions > scoreCapacity {
            let n = max(positions, scoreCapacity * 2, 256)
            scores.deallocate()
            scores = .allocate(capacity: n * threads * group)
            scoreCapacity = n
        }
        let blocks = (scoreCapacity + max(1, blockSize) - 1) / max(1, blockSize)
        if blocks > blockCapacity {
            blockPointers.deallocate()
            blockPointers = .allocate(capacity: blocks * 2 * threads)
            blockCapacity = blocks
        }
    }
}
