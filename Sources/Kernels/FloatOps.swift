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
    /// x[i] = f32(f16(x[i])) in place, nearest even: the precision of llama.cpp's F16 KV cache and of the F16
    /// operands its attention products convert to.
    public typealias RoundToHalf = @Sendable (_ x: UnsafeMutablePointer<Float>, _ n: Int) -> Void
    /// Attention of `heads` query heads sharing one KV head: q is heads × dims; keys[b] and values[b] point at
    /// position b · blockSize of the cache (rows `stride` floats apart), `count` positions in all. Per head: the
    /// scores (`batch` order), × scale, softmax, rounded to f16 when `half`, the value product with
    /// `valueLanes(batch:)` lanes and the lane sum into out (heads × dims). Scratch: scores heads × count floats,
    /// lanes heads × 64 × dims floats. Exactly the other operations of this table applied block by block.
    public typealias AttendGroup = @Sendable (
        _ q: UnsafePointer<Float>, _ heads: Int, _ dims: Int,
        _ keys: UnsafePointer<UnsafePointer<Float>>, _ values: UnsafePointer<UnsafePointer<Float>>,
        _ blockSize: Int, _ stride: Int, _ count: Int, _ scale: Float, _ batch: Bool, _ half: Bool,
        _ scores: UnsafeMutablePointer<Float>, _ lanes: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>
    ) -> Void

    /// `AttendGroup` over a cache of F16 rows (llama.cpp's default cache type, and ours): keys[b] and values[b]
    /// point at F16 bits. Widening F16 to f32 is exact, so it gives AttendGroup's bits on the widened cache while
    /// streaming half the bytes per position — the cache is most of a batched decode step's memory traffic.
    public typealias AttendGroupHalf = @Sendable (
        _ q: UnsafePointer<Float>, _ heads: Int, _ dims: Int,
        _ keys: UnsafePointer<UnsafePointer<UInt16>>, _ values: UnsafePointer<UnsafePointer<UInt16>>,
        _ blockSize: Int, _ stride: Int, _ count: Int, _ scale: Float, _ batch: Bool, _ half: Bool,
        _ scores: UnsafeMutablePointer<Float>, _ lanes: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>
    ) -> Void

    public let name: String
    public let swiglu: Swiglu
    public let softmax: Softmax
    public let scores: Scores
    public let accumulate: Accumulate
    public let laneReduce: LaneReduce
    public let roundToHalf: RoundToHalf
    /// The whole attention of a group of heads in one call (a fused C path where there is one: the cache's blocks
    /// and the group's shared keys and values are read once); otherwise composed from the operations above.
    public let attendGroup: AttendGroup
    /// The same over an F16 cache (the forward pass's).
    public let attendGroupHalf: AttendGroupHalf

    /// Lanes of the value accumulator llama.cpp's product has: 16 for a batch (tinyBLAS), 64 for one token.
    public static func valueLanes(batch: Bool) -> Int { batch ? 16 : 64 }

    public init(name: String, swiglu: @escaping Swiglu, softmax: @escaping Softmax, scores: @escaping Scores,
                accumulate: @escaping Accumulate, laneReduce: @escaping LaneReduce,
                roundToHalf: @escaping RoundToHalf, attendGroup: AttendGroup? = nil,
                attendGroupHalf: AttendGroupHalf? = nil) {
        self.name = name
        self.swiglu = swiglu
        self.softmax = softmax
        self.scores = scores
        self.accumulate = accumulate
        self.laneReduce = laneReduce
        self.roundToHalf = roundToHalf
        self.attendGroup = attendGroup ?? FloatOps.composedAttendGroup(scores: scores, softmax: softmax,
                                                                       accumulate: accumulate, laneReduce: laneReduce,
                                                                       roundToHalf: roundToHalf)
        self.attendGroupHalf = attendGroupHalf ?? FloatOps.composedAttendGroupHalf(
            scores: scores, softmax: softmax, accumulate: accumulate, laneReduce: laneReduce, roundToHalf: roundToHalf)
    }

    /// `AttendGroup` from the single operations, head by head and block by block: the specification the fused
    /// paths are tested against.
    static func composedAttendGroup(scores: @escaping Scores, softmax: @escaping Softmax,
                                    accumulate: @escaping Accumulate, laneReduce: @escaping LaneReduce,
                                    roundToHalf: @escaping RoundToHalf) -> AttendGroup {
        return { q, heads, dims, keys, values, blockSize, stride, count, scale, batch, half, scoreBuffer, laneBuffer, out in
            composedSteps(scores: scores, softmax: softmax, accumulate: accumulate, laneReduce: laneReduce,
                          roundToHalf: roundToHalf, q: q, heads: heads, dims: dims, blockSize: blockSize, count: count,
                          scale: scale, batch: batch, half: half, scoreBuffer: scoreBuffer, laneBuffer: laneBuffer,
                          out: out, keyBlock: { b, _ in (keys[b], stride) }, valueBlock: { b, _ in (values[b], stride) })
        }
    }

    /// `AttendGroupHalf` from the single operations: each block's rows of this KV head widened into a block-sized
    /// buffer (on the stack), then exactly `composedAttendGroup`'s steps. The portable path and the specification.
    static func composedAttendGroupHalf(scores: @escaping Scores, softmax: @escaping Softmax,
                                        accumulate: @escaping Accumulate, laneReduce: @escaping LaneReduce,
                                        roundToHalf: @escaping RoundToHalf) -> AttendGroupHalf {
        return { q, heads, dims, keys, values, blockSize, stride, count, scale, batch, half, scoreBuffer, laneBuffer, out in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, blockSize * dims)) { buffer in
                guard let wide = buffer.baseAddress else { return }
                func widen(_ rows: UnsafePointer<UInt16>, _ n: Int) -> (UnsafePointer<Float>, Int) {
                    for j in 0..<n {
                        for i in 0..<dims { wide[j * dims + i] = Half.f16ToF32(rows[j * stride + i]) }
                    }
                    return (UnsafePointer(wide), dims)
                }
                composedSteps(scores: scores, softmax: softmax, accumulate: accumulate, laneReduce: laneReduce,
                              roundToHalf: roundToHalf, q: q, heads: heads, dims: dims, blockSize: blockSize,
                              count: count, scale: scale, batch: batch, half: half, scoreBuffer: scoreBuffer,
                              laneBuffer: laneBuffer, out: out, keyBlock: { b, n in widen(keys[b], n) },
                              valueBlock: { b, n in widen(values[b], n) })
            }
        }
    }

    /// The attention of a group of heads, block by block and head by head, reading block b's first n rows through
    /// `keyBlock`/`valueBlock` (rows and their stride in floats).
    private static func composedSteps(
        scores: Scores, softmax: Softmax, accumulate: Accumulate, laneReduce: LaneReduce, roundToHalf: RoundToHalf,
        q: UnsafePointer<Float>, heads: Int, dims: Int, blockSize: Int, count: Int, scale: Float, batch: Bool,
        half: Bool, scoreBuffer: UnsafeMutablePointer<Float>, laneBuffer: UnsafeMutablePointer<Float>,
        out: UnsafeMutablePointer<Float>, keyBlock: (Int, Int) -> (UnsafePointer<Float>, Int),
        valueBlock: (Int, Int) -> (UnsafePointer<Float>, Int)
    ) {
        let lanes = FloatOps.valueLanes(batch: batch)
        for h in 0..<heads {
            let s = scoreBuffer + h * count
            var t = 0
            while t < count {
                let n = min(blockSize, count - t)
                let (rows, stride) = keyBlock(t / blockSize, n)
                scores(q + h * dims, rows, stride, n, dims, batch, s + t)
                t += n
            }
            for p in 0..<count { s[p] *= scale }
            softmax(s, count)
            if half { roundToHalf(s, count) }
            let acc = laneBuffer + h * lanes * dims
            acc.update(repeating: 0, count: lanes * dims)
            t = 0
            while t < count {
                let n = min(blockSize, count - t)
                let (rows, stride) = valueBlock(t / blockSize, n)
                accumulate(acc, lanes, t, rows, stride, s + t, n, dims)
                t += n
            }
            laneReduce(acc, lanes, dims, out + h * dims)
        }
    }
}
