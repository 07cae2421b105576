// How a product is split over the thread pool — row chunks for decode, row chunks × token tiles for prefill, claimed
// one at a time so the threads finish together — and the products of several matrices sharing one input in one job.

extension MatMulEngine {
    /// Tokens per tile: 64 rows of Q8_0 activations of a 1536-column matrix are ~100 KB, which stays in L2 while a
    /// row chunk's weights pass over them.
    static let tokenTile = 64

    /// Rows per prefill item: a multiple of `multiple` (the kernel's row tile), at most 64, aiming at 8 items per
    /// thread in all.
    ///
    /// Why two dimensions: splitting rows alone gave each thread a few long chunks (a 192-row matrix on 2 threads:
    /// 4 chunks of 48 rows × all 512 tokens), and the thread that started late or ran slower left the other idle at
    /// the end of every product — measured as 5-8 % of prefill time spent waiting in the pool. With token tiles a
    /// 512-token product has ≥ 24 items of similar cost, claimed dynamically.
    static func prefillRowChunk(rows: Int, tiles: Int, threads: Int, multiple: Int) -> Int {
        let wanted = rows * tiles / max(1, 8 * threads)
        let rounded = (wanted + multiple - 1) / multiple * multiple
        return min(max(rounded, multiple), max(64, multiple))
    }

    /// y_i = x · W_iᵀ for two or three matrices that read the same input (a layer's query, key and value; its gate
    /// and up projections): the activations are converted once and all the products' items are claimed from one
    /// pool job. The same bits as separate `matmul` calls.
    ///
    /// Why: decoding one token issues ~10 pool jobs per layer, each ending in a wait for the slowest thread;
    /// sharing the job removes 3 of them per layer and two activation conversions. Matrices of different formats
    /// or layouts, and the few-token products (batched decoding has its own kernels), run one by one.
    /// - Precondition: x holds n · first.columns floats; each y_i room for n · W_i.rows.
    public func matmul(_ first: WeightMatrix, _ second: WeightMatrix, _ third: WeightMatrix? = nil,
                       sharing x: UnsafePointer<Float>, count n: Int, into y0: UnsafeMutablePointer<Float>,
                       _ y1: UnsafeMutablePointer<Float>, _ y2: UnsafeMutablePointer<Float>? = nil) {
        guard n > 0 else { return }
        func alike(_ w: WeightMatrix) -> Bool {
            w.format == first.format && w.layout == first.layout && w.columns == first.columns
        }
        let fused = alike(second) && (third.map(alike) ?? true) && (third == nil) == (y2 == nil)
            && (n == 1 || n > 16)
            && (first.layout == .rowMajor || kernels.packedGemm(for: first.format) != nil)
        guard fused, let (a, aStride) = convertActivations(first, x, count: n) else {
            matmul(first, x, count: n, into: y0)
            matmul(second, x, count: n, into: y1)
            if let third, let y2 { matmul(third, x, count: n, into: y2) }
            return
        }
        let sums = self.sums(first, a, aStride, count: n)
        guard let p0 = plan(first, a, aStride, sums, count: n, into: y0),
              let p1 = plan(second, a, aStride, sums, count: n, into: y1) else { return }
        let p2 = third.flatMap { w in y2.flatMap { plan(w, a, aStride, sums, count: n, into: $0) } }
        let end0 = p0.items, end1 = end0 + p1.items
        pool.parallelFor(end1 + (p2?.items ?? 0), chunk: 1) { _, items in
            for item in items {
                if item < end0 {
                    p0.run(item)
                } else if item < end1 {
                    p1.run(item - end0)
                } else {
                    p2?.run(item - end1)
                }
            }
        }
    }
}

/// One product cut into items: row chunk × token tile, item i = (i / tiles, i % tiles).
struct ProductPlan {
    /// The kernel and what it needs beyond the activations.
    enum Kernel {
        case rows(KernelSet.Gemm)
        /// Packed 8-row groups: the kernel, the activation sums and their per-token stride, bytes per group.
        case packed(KernelSet.PackedGemm, UnsafePointer<Int32>?, Int, Int)
    }

    let w: WeightMatrix
    let y: UnsafeMutablePointer<Float>
    let a: UnsafeRawPointer
    let aStride: Int
    let n: Int
    let chunk: Int
    let tiles: Int
    let kernel: Kernel

    var items: Int { (w.rows + chunk - 1) / chunk * tiles }

    /// Computes item `item` (0 ..< items).
    func run(_ item: Int) {
        let tile = MatMulEngine.tokenTile
        let r = item / tiles * chunk, t = item % tiles * tile
        let rows = min(chunk, w.rows - r), tokens = min(tile, n - t)
        switch kernel {
        case .rows(let gemm):
            gemm(w.columns, w.base + r * w.rowBytes, w.rowBytes, rows, a + t * aStride, aStride, tokens,
                 y + t * w.rows + r, w.rows)
        case .packed(let gemm, let sums, let sumStride, let groupBytes):
            gemm(w.columns, w.base + r / 8 * groupBytes, rows, a + t * aStride, aStride, sums.map { $0 + t * sumStride },
                 tokens, y + t * w.rows + r, w.rows)
        }
    }
}
