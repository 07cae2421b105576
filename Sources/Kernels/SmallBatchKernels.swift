// The small-N products of decoding: N = 1...16 activation rows (one token of each of N sequences, or the
// k+1 rows of a speculative verification) against a packed matrix, reading each weight block once for all rows.
// Separate from the prefill path (MatMulEngine's tiled products), which is tuned for hundreds of rows.
import CKernels

/// Kernels for products with a few activation rows, per weight format, for one instruction set.
///
/// Why its own table: decode with N sequences is bound by arithmetic per token once the weights are shared, not by
/// tiling for cache, so it wants kernels with the activation scales pre-converted and every token count handled
/// in one pass (no one-token tails). Each kernel gives, for every output, exactly the bits of the one-token packed
/// kernel of its set, so batched greedy decoding equals decoding alone.
public struct SmallBatchKernels: Sendable {
    /// y[t·yStride + r] = dot(row r, activation row t) for r < rows, t < tokens over a packed matrix; `w` is the group
    /// holding row 0 of the call, `sums` as for `KernelSet.PackedGemm`, `scales` from `Scales`, token-major.
    public typealias Gemm = @Sendable (
        _ n: Int, _ w: UnsafeRawPointer, _ rows: Int,
        _ a: UnsafeRawPointer, _ aStride: Int, _ sums: UnsafePointer<Int32>?, _ scales: UnsafePointer<Float>,
        _ tokens: Int, _ y: UnsafeMutablePointer<Float>, _ yStride: Int
    ) -> Void
    /// Writes the f32 scales of `blocks` activation blocks (`scalesPerBlock` floats each).
    public typealias Scales = @Sendable (_ a: UnsafeRawPointer, _ blocks: Int, _ out: UnsafeMutablePointer<Float>) -> Void

    /// One format's kernel and how its activation scales are prepared.
    public struct Entry: Sendable {
        public let gemm: Gemm
        public let scales: Scales
        public let scalesPerBlock: Int
    }

    /// The most activation rows one call takes; larger products are prefill and use the tiled path.
    public static let maxTokens = 16

    /// Which kernel set these kernels match bit for bit.
    public let name: String
    private var entries: [Entry?]

    init(name: String, entries: [WeightFormat: Entry]) {
        self.name = name
        var e = [Entry?](repeating: nil, count: WeightFormat.allCases.count)
        for (format, entry) in entries { e[format.index] = entry }
        self.entries = e
    }

    /// The kernel for packed matrices of `format`, if there is one.
    public func entry(for format: WeightFormat) -> Entry? { entries[format.index] }

    /// The small-N kernels matching `kernels` (same bits as its one-token packed kernels), or nil when there are
    /// none for that set; the engine then runs small batches through the kernel set's own products.
    public static func matching(_ kernels: KernelSet) -> SmallBatchKernels? {
        #if arch(x86_64)
        if kernels.name == "avx512", KernelSet.avx512 != nil { return avx512 }
        #endif
        return nil
    }

    #if arch(x86_64)
    static let avx512 = SmallBatchKernels(name: "avx512", entries: [
        .q4_1: Entry(gemm: { tw_small_q4_1_avx512(Int64($0), $1, Int64($2), $3, $4, $5, $6, Int64($7), $8, $9) },
                     scales: { tw_small_scales_q8_1_avx512($0, Int64($1), $2) }, scalesPerBlock: 2),
        .q4_0: Entry(gemm: { tw_small_q4_0_avx512(Int64($0), $1, Int64($2), $3, $4, $5, $6, Int64($7), $8, $9) },
                     scales: { tw_small_scales_q8_0_avx512($0, Int64($1), $2) }, scalesPerBlock: 1),
        .q8_0: Entry(gemm: { tw_small_q8_0_avx512(Int64($0), $1, Int64($2), $3, $4, $5, $6, Int64($7), $8, $9) },
                     scales: { tw_small_scales_q8_0_avx512($0, Int64($1), $2) }, scalesPerBlock: 1),
    ])
    #endif
}
