// The matrix product the model calls: converts activations once per call into per-engine scratch, then runs the
// chosen kernel set over row chunks on the thread pool. Decode (one token) and prefill (many) share one entry.
import Foundation

/// Owns the thread pool, the kernel table and the activation scratch so the hot path never allocates.
///
/// Why a class: it owns threads and scratch memory. Why `@unchecked Sendable`: the scratch is mutated by
/// `matmul`, so one engine serves one caller at a time (the forward pass of one model); use several engines
/// for concurrent callers.
public final class MatMulEngine: @unchecked Sendable {
    /// The workers every product runs on (shared with other per-token work of the caller if it wishes).
    public let pool: ThreadPool
    /// The kernels in use (the best for this CPU unless chosen explicitly).
    public let kernels: KernelSet

    /// Converted activations (n rows in the weight format's activation partner).
    var scratch: UnsafeMutableRawPointer
    var scratchBytes: Int
    /// Activation sums for the packed kernels (`KernelSet.packedSums`).
    var sumScratch: UnsafeMutableRawPointer
    var sumScratchBytes: Int
    /// The products of 1...16 rows over packed matrices (decoding), when this kernel set has them.
    public let smallBatch: SmallBatchKernels?
    /// f32 activation scales for `smallBatch` (MatMulEngine+SmallBatch.swift).
    var scaleScratch: UnsafeMutableRawPointer
    var scaleScratchBytes: Int
    /// One row in ggml's layout, rebuilt from a packed matrix.
    private var rowScratch: UnsafeMutableRawPointer
    private var rowScratchBytes: Int

    /// - Parameters:
    ///   - threads: worker threads including the caller; defaults to the machine's physical cores.
    ///   - kernels: the kernel table; defaults to the fastest one the CPU runs.
    ///   - smallBatchKernels: whether products of 1...16 rows may use `SmallBatchKernels` (the same bits as the
    ///     one-token and tiled kernels; off only to compare against those).
    public init(threads: Int = MatMulEngine.physicalCoreCount, kernels: KernelSet = .best,
                smallBatchKernels: Bool = true) {
        pool = ThreadPool(threads: threads)
        self.kernels = kernels
        scratchBytes = 1 << 16
        scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchBytes, alignment: 64)
        sumScratchBytes = 1 << 12
        sumScratch = UnsafeMutableRawPointer.allocate(byteCount: sumScratchBytes, alignment: 64)
        rowScratchBytes = 1 << 12
        rowScratch = UnsafeMutableRawPointer.allocate(byteCount: rowScratchBytes, alignment: 64)
        smallBatch = smallBatchKernels ? SmallBatchKernels.matching(kernels) : nil
        scaleScratchBytes = 1 << 12
        scaleScratch = UnsafeMutableRawPointer.allocate(byteCount: scaleScratchBytes, alignment: 64)
    }

    deinit {
        scratch.deallocate()
        sumScratch.deallocate()
        rowScratch.deallocate()
        scaleScratch.deallocate()
    }

    /// Repacks `w` into the layout this engine's kernels run fastest (8-row groups for Q4_0/Q4_1/Q8_0 on x86),
    /// returning a matrix that owns its bytes; returns `w` unchanged when there is nothing to gain. Call once per
    /// matrix at load time: it allocates and copies the whole matrix.
    public func pack(_ w: WeightMatrix) -> WeightMatrix {
        guard kernels.packs(w.format) else { return w }
        return WeightPacker.pack(w)
    }

    /// Every matrix of a model made ready to run, all in one huge-page-backed `WeightArena`: repacked where the
    /// kernels have a packed layout (as `pack`), copied unchanged otherwise when huge pages are available (see
    /// `WeightArena` for the measured gain), else left where it is. Call once at load time with all the matrices
    /// the forward pass multiplies by; afterwards the caller may release the file pages they came from.
    public func prepare(_ matrices: [WeightMatrix]) -> [WeightMatrix] {
        let copyPlain = WeightArena.hugePagesAvailable
        func size(_ w: WeightMatrix) -> Int? {
            guard w.layout == .rowMajor else { return nil }
            if kernels.packs(w.format) { return WeightPacker.packedBytes(w) }
            return copyPlain ? w.byteCount : nil
        }
        let sizes = matrices.compactMap(size)
        guard !sizes.isEmpty else { return matrices }
        let arena = WeightArena(capacity: WeightArena.capacity(for: sizes))
        return matrices.map { w in
            guard size(w) != nil else { return w }
            if kernels.packs(w.format) { return WeightPacker.pack(w, arena: arena) }
            return w.copied(into: arena) ?? w
        }
    }

    /// y[n × rows] = x[n × columns] · Wᵀ (x and y row-major, one row per token).
    /// n == 1 is decode (matrix × vector); n > 1 is prefill or speculative verification (tiled).
    /// - Precondition: `x` holds `n · w.columns` floats and `y` room for `n · w.rows`.
    public func matmul(_ w: WeightMatrix, _ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        guard n > 0, let (a, aStride) = convertActivations(w, x, count: n) else { return }
        if w.layout == .interleaved8 {
            // A few rows (decoding one or several sequences, speculative verification): kernels that read each
            // weight once for all. One row too: the same bits as the one-token kernels, and single-sequence decode
            // measured 15-24 % more tokens/s this way (bench --batch 1, interleaved runs).
            if n <= SmallBatchKernels.maxTokens, let entry = smallBatch?.entry(for: w.format) {
                matmulSmall(w, entry, a, aStride, n, y)
                return
            }
            if kernels.packedGemm(for: w.format) == nil {
                matmulUnpackingRows(w, a, aStride, n, y)
                return
            }
        }
        guard let product = plan(w, a, aStride, sums(w, a, aStride, count: n), count: n, into: y) else { return }
        pool.parallelFor(product.items, chunk: 1) { _, items in
            for item in items { product.run(item) }
        }
    }

    /// `n` rows of x in the activation format `w`'s kernels read (in the engine's scratch, or x itself for F32):
    /// the converted rows and the bytes between them, or nil when this kernel set cannot convert.
    func convertActivations(_ w: WeightMatrix, _ x: UnsafePointer<Float>, count n: Int) -> (UnsafeRawPointer, Int)? {
        let activation = w.format.activationFormat
        let columns = w.columns
        if activation == .f32 { return (UnsafeRawPointer(x), columns * 4) }
        guard let convert = kernels.converter(for: activation) else { return nil }
        let aStride = activation.rowBytes(columns: columns)
        reserve(&scratch, &scratchBytes, n * aStride)
        let out = scratch
        if n * columns >= 1 << 16 {
            pool.parallelFor(n) { _, range in
                for t in range { convert(x + t * columns, out + t * aStride, columns) }
            }
        } else {
            for t in 0..<n { convert(x + t * columns, out + t * aStride, columns) }
        }
        return (UnsafeRawPointer(out), aStride)
    }

    /// The activation sums a packed matrix's kernel reads (in the engine's sum scratch) and their per-token
    /// stride, or (nil, 0) when it reads none.
    func sums(_ w: WeightMatrix, _ a: UnsafeRawPointer, _ aStride: Int, count n: Int) -> (UnsafePointer<Int32>?, Int) {
        guard w.layout == .interleaved8, let (write, perBlock) = kernels.packedSums(for: w.format) else { return (nil, 0) }
        let blocks = w.columns / 32
        let sumStride = blocks * perBlock
        reserve(&sumScratch, &sumScratchBytes, n * sumStride * 4)
        let out = sumScratch.assumingMemoryBound(to: Int32.self)
        for t in 0..<n { write(a + t * aStride, blocks, out + t * sumStride) }
        return (UnsafePointer(out), sumStride)
    }

    /// How one product is cut into work items (MatMulEngine+Prefill.swift), or nil without a kernel.
    func plan(_ w: WeightMatrix, _ a: UnsafeRawPointer, _ aStride: Int, _ sums: (UnsafePointer<Int32>?, Int),
              count n: Int, into y: UnsafeMutablePointer<Float>) -> ProductPlan? {
        let packed = w.layout == .interleaved8
        let multiple = packed ? 8 : 4
        let threads = pool.threadCount
        let chunk: Int, tiles: Int
        if n == 1 {
            // Bandwidth-bound: about eight chunks per thread so a thread slowed by the OS gets less work.
            chunk = max(16, ((w.rows + threads * 8 - 1) / (threads * 8) + multiple - 1) / multiple * multiple)
            tiles = 1
        } else {
            tiles = (n + MatMulEngine.tokenTile - 1) / MatMulEngine.tokenTile
            chunk = MatMulEngine.prefillRowChunk(rows: w.rows, tiles: tiles, threads: threads, multiple: multiple)
        }
        if packed {
            guard let gemm = kernels.packedGemm(for: w.format) else { return nil }
            return ProductPlan(w: w, y: y, a: a, aStride: aStride, n: n, chunk: chunk, tiles: tiles,
                               kernel: .packed(gemm, sums.0, sums.1, WeightPacker.groupBytes(w.format, columns: w.columns)))
        }
        guard let gemm = kernels.gemm(for: w.format) else { return nil }
        return ProductPlan(w: w, y: y, a: a, aStride: aStride, n: n, chunk: chunk, tiles: tiles, kernel: .rows(gemm))
    }

    /// Fallback for a packed matrix on kernels without packed code (tests, other machines): one row at a time.
    private func matmulUnpackingRows(_ w: WeightMatrix, _ a: UnsafeRawPointer, _ aStride: Int, _ n: Int,
                                     _ y: UnsafeMutablePointer<Float>) {
        guard let gemm = kernels.gemm(for: w.format) else { return }
        reserve(&rowScratch, &rowScratchBytes, w.rowBytes)
        for r in 0..<w.rows {
            WeightPacker.unpackRow(w, row: r, into: rowScratch)
            gemm(w.columns, rowScratch, 0, 1, a, aStride, n, y + r, w.rows)
        }
    }

    /// Decodes one row (an embedding lookup). A row outside `0..<w.rows` yields zeros: callers validate ids.
    /// - Precondition: `out` has room for `w.columns` floats.
    public func dequantizeRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutablePointer<Float>) {
        guard row >= 0, row < w.rows else {
            out.update(repeating: 0, count: w.columns)
            return
        }
        var src = w.rowPointer(row)
        if w.layout == .interleaved8 {
            reserve(&rowScratch, &rowScratchBytes, w.rowBytes)
            WeightPacker.unpackRow(w, row: row, into: rowScratch)
            src = UnsafeRawPointer(rowScratch)
        }
        if !Dequantizer.decode(w.format, src, into: out, count: w.columns) {
            out.update(repeating: 0, count: w.columns)
        }
    }

    /// Grows a scratch buffer (only when a larger product than any before arrives).
    func reserve(_ buffer: inout UnsafeMutableRawPointer, _ capacity: inout Int, _ bytes: Int) {
        guard bytes > capacity else { return }
        buffer.deallocate()
        capacity = max(bytes, capacity * 2)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    /// Physical cores of this machine (hyper-threads share a core's vector units, so they do not help
    /// bandwidth- or FMA-bound kernels); falls back to the logical processor count.
    public static let physicalCoreCount: Int = {
        let logical = ProcessInfo.processInfo.activeProcessorCount
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            var cores = Set<String>()
            var physical = "0"
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                if parts[0] == "physical id" { physical = parts[1] }
                if parts[0] == "core id" { cores.insert(physical + "/" + parts[1]) }
            }
            if !cores.isEmpty { return max(1, min(logical, cores.count)) }
        }
        #endif
        return max(1, logical)
    }()
}
