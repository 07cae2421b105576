// block_q8_1: f16 scale d, f16 s = d·Σq, and 32 signed bytes (36 bytes). The activation partner of Q4_1 and Q5_1,
// whose dot product needs the activation sum to apply the weight block's minimum.

/// ggml's `block_q8_1` layout: `d` (f16), `s` (f16, d times the sum of qs), `qs[32]` (int8).
public struct BlockQ8_1 {
    public var d: UInt16
    public var s: UInt16
    public var qs: (Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
                    Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8)
}

extension BlockQ8_1 {
    /// ggml-cpu's x86 `quantize_row_q8_1`: like the Q8_0 activation quantizer (id = 127 / amax, nearest-even),
    /// plus s = f16(d · Σq) with d the unrounded amax / 127.
    public static func quantizeActivationReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer,
                                                   count: Int) {
        for b in 0..<count / 32 {
            let src = x + b * 32, block = out + b * 36
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(src[j])) }
            let d = amax / 127
            storeHalf(block, 0, d)
            let id: Float = amax != 0 ? 127 / amax : 0
            var sum: Int32 = 0
            for j in 0..<32 {
                let q = saturatingInt32((src[j] * id).rounded(.toNearestOrEven))
                sum += q
                block.storeBytes(of: Int8(truncatingIfNeeded: q), toByteOffset: 4 + j, as: Int8.self)
            }
            storeHalf(block, 2, d * Float(sum))
        }
    }

    /// Decodes activation blocks (d · q), for tests that compare against plain float math.
    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 32 {
            let block = src + b * 36
            let d = loadHalf(block, 0)
            for j in 0..<32 { out[b * 32 + j] = Float(block.load(fromByteOffset: 4 + j, as: Int8.self)) * d }
        }
    }
}
