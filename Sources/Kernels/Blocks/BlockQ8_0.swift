// block_q8_0: one f16 scale and 32 signed bytes (34 bytes). Weight format and the activation partner of
// Q4_0, Q5_0 and Q8_0 rows.

/// ggml's `block_q8_0` layout: `d` (f16) then `qs[32]` (int8); value i = d · qs[i].
public struct BlockQ8_0 {
    public var d: UInt16
    public var qs: (Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
                    Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8)
}

extension BlockQ8_0: QuantizedBlock, ReferenceQuantizer {
    public static var format: WeightFormat { .q8_0 }

    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 32 {
            let block = src + b * 34
            let d = loadHalf(block, 0)
            for j in 0..<32 { out[b * 32 + j] = Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
        }
    }

    /// ggml_vec_dot_q8_0_q8_0_generic: per block Σ qw·qa in int, then `sumf += sumi · (dw · da)`.
    public static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var sum: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 34, y = a + b * 34
            var sumi: Int32 = 0
            for j in 0..<32 {
                sumi += Int32(x.load(fromByteOffset: 2 + j, as: Int8.self))
                    * Int32(y.load(fromByteOffset: 2 + j, as: Int8.self))
            }
            sum += Float(sumi) * (loadHalf(x, 0) * loadHalf(y, 0))
        }
        return sum
    }

    /// quantize_row_q8_0_ref: d = amax / 127, q = roundf(x · (1/d)) — the file quantizer (gguf-py agrees).
    public static func quantizeReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<count / 32 {
            let src = x + b * 32, block = out + b * 34
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(src[j])) }
            let d = amax / 127
            let id: Float = d != 0 ? 1 / d : 0
            storeHalf(block, 0, d)
            for j in 0..<32 { block.storeBytes(of: roundAwayToInt8(src[j] * id), toByteOffset: 2 + j, as: Int8.self) }
        }
    }

    /// ggml-cpu's x86 `quantize_row_q8_0`, the activation quantizer llama.cpp runs on this machine:
    /// id = 127 / amax (not 1 / d) and rounding to nearest-even. Every activation path must match it byte for byte.
    public static func quantizeActivationReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer,
                                                   count: Int) {
        for b in 0..<count / 32 {
            let src = x + b * 32, block = out + b * 34
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(src[j])) }
            storeHalf(block, 0, amax / 127)
            let id: Float = amax != 0 ? 127 / amax : 0
            for j in 0..<32 {
                let q = Int8(truncatingIfNeeded: saturatingInt32((src[j] * id).rounded(.toNearestOrEven)))
                block.storeBytes(of: q, toByteOffset: 2 + j, as: Int8.self)
            }
        }
    }
}
