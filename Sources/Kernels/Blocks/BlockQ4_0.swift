// block_q4_0: f16 scale and 32 4-bit values packed two per byte (18 bytes); value = d · (q − 8).
// Byte j holds element j in its low nibble and element j + 16 in its high nibble.

/// ggml's `block_q4_0` layout: `d` (f16) then `qs[16]`.
public struct BlockQ4_0 {
    public var d: UInt16
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
}

extension BlockQ4_0: QuantizedBlock, ReferenceQuantizer {
    public static var format: WeightFormat { .q4_0 }

    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 32 {
            let block = src + b * 18
            let d = loadHalf(block, 0)
            for j in 0..<16 {
                let byte = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                out[b * 32 + j] = Float(Int32(byte & 0x0f) - 8) * d
                out[b * 32 + j + 16] = Float(Int32(byte >> 4) - 8) * d
            }
        }
    }

    /// ggml_vec_dot_q4_0_q8_0_generic: Σ (q − 8)·qa per block in int, `sumf += sumi · (d · da)`.
    public static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var sum: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 18, y = a + b * 34
            var sumi0: Int32 = 0, sumi1: Int32 = 0
            for j in 0..<16 {
                let byte = x.load(fromByteOffset: 2 + j, as: UInt8.self)
                sumi0 += (Int32(byte & 0x0f) - 8) * Int32(y.load(fromByteOffset: 2 + j, as: Int8.self))
                sumi1 += (Int32(byte >> 4) - 8) * Int32(y.load(fromByteOffset: 18 + j, as: Int8.self))
            }
            sum += Float(sumi0 + sumi1) * (loadHalf(x, 0) * loadHalf(y, 0))
        }
        return sum
    }

    /// quantize_row_q4_0_ref: d = (signed value of largest magnitude) / −8, q = min(15, trunc(x/d + 8.5)).
    public static func quantizeReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<count / 32 {
            let src = x + b * 32, block = out + b * 18
            var amax: Float = 0, maxValue: Float = 0
            for j in 0..<32 where amax < abs(src[j]) {
                amax = abs(src[j])
                maxValue = src[j]
            }
            let d = maxValue / -8
            let id: Float = d != 0 ? 1 / d : 0
            storeHalf(block, 0, d)
            for j in 0..<16 {
                let q0 = min(15, UInt8(truncatingIfNeeded: Int8(truncatingIfNeeded: saturatingInt32(src[j] * id + 8.5))))
                let q1 = min(15, UInt8(truncatingIfNeeded: Int8(truncatingIfNeeded: saturatingInt32(src[j + 16] * id + 8.5))))
                block.storeBytes(of: q0 | (q1 << 4), toByteOffset: 2 + j, as: UInt8.self)
            }
        }
    }
}
