// The float math of the forward pass outside the matrix products — SwiGLU, softmax and the two F16 products of
// attention — in ggml-cpu's exact AVX-512 operation order, so logits equal llama.cpp's to the bit. One table per
// ISA (C intrinsics on x86-64, the Swift reference elsewhere), carried by the KernelSet it belongs to.

/// Function table for the forward pass's float math.
///
/// Why it exists: llama.cpp's outputs depend on the order and fusion of every float operation (its vectorised
/// expf, its 16-lane sums, fused multiply-adds). A small model like SmolLM2-135M amplifies a last-bit difference
/// into different greedy tokens within a few dozen steps, so matching llama.cpp means doing these exactly as
/// ggml-cpu built with AVX-512 does. The same bits come out of every table (tested against `reference`).
public struct FloatOps: Sendable {
    /// y[i] = silu(x[i]) · g[i] (ggml_vec_swiglu_f32).
    public typealias Swiglu = @Sendable (_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                                         _ g: UnsafePointer<Float>, _ n: Int) -> Void
    /// In-place softmax of n scaled scores (ggml_compute_forward_soft_max_f32 over a row padded with −∞).
    public typealias Softmax = @Sendable (_ x: UnsafeMutablePointer<Float>, _ n: Int) -> Void
    /// out[j] = keys[j] · q for `count` keys of `dims` floats, `stride` floats apart; `batch` selects the order
    /// llama.cpp uses for a ubatch of two or more tokens (tinyBLAS) instead of one (ggml_vec_dot_f16).
    public typealias Scores = @Sendable (_ q: UnsafePointer<Float>, _ keys: UnsafePointer<Float>, _ stride: Int,
                                         _ count: Int, _ dims: Int, _ batch: Bool,
                                         _ out: UnsafeMutablePointer<Float>) -> Void
    /// Lane (first + j) % lanes of `acc` (lanes × dims) += values[j] · p[j] by fused multiply-add, j < count, in
    /// order: the value product of attention as a dot over positions, one lane per position modulo `lanes`.
    public typealias Accumulate = @Sendable (_ acc: UnsafeMutablePointer<Float>, _ lanes: Int, _ first: Int,
                                             _ values: UnsafePointer<Float>, _ stride: Int,
                                             _ p: UnsafePointer<Float>, _ count: Int, _ dims: Int) -> Void
    /// out[i] = ggml's sum of the lanes of acc[·][i]: 16 lanes (tinyBLAS) or 64 (ggml_vec_dot_f16's four
    /// accumulators of 16).
    public typealias LaneReduce = @Sendable (_ acc: UnsafePointer<Float>, _ lanes: Int, _ dims: Int,
                                             _ out: UnsafeMutablePointer<Float>) -> Void

    public let name: String
    public let swiglu: Swiglu
    public let softmax: Softmax
    public let scores: Scores
    public let accumulate: Accumulate
    public let laneReduce: LaneReduce

    /// Lanes of the value accumulator llama.cpp's product has: 16 for a batch (tinyBLAS), 64 for one token.
    public static func valueLanes(batch: Bool) -> Int { batch ? 16 : 64 }

    public init(name: String, swiglu: @escaping Swiglu, softmax: @escaping Softmax, scores: @escaping Scores,
                accumulate: @escaping Accumulate, laneReduce: @escaping LaneReduce) {
        self.name = name
        self.swiglu = swiglu
        self.softmax = softmax
        self.scores = scores
        self.accumulate = accumulate
        self.laneReduce = laneReduce
    }
}
