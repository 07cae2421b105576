// block_q4_1: f16 scale d, f16 minimum m and 32 4-bit values (20 bytes); value = d · q + m.
// Byte j holds element j in its low nibble and element j + 16 in its high nibble. The default model's format.

/// ggml's `block_q4_1` layout: `d` (f16), `m` (f16) then `qs[16]`.
public struct BlockQ4_1 {
    public var d: UInt16
    public var m: UInt16
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
}

extension BlockQ4_1: QuantizedBlock, ReferenceQuantizer {
    public static var format: WeightFormat { .q4_1 }

    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 32 {
            let block = src + b * 20
            let d = loadHalf(block, 0), m = loadHalf(block, 2)
            for j in 0..<16 {
                let byte = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                out[b * 32 + j] = Float(byte & 0x0f) * d + m
                out[b * 32 + j + 16] = Float(byte >> 4) * d + m
            }
        }
    }

    /// ggml_vec_dot_q4_1_q8_1_generic: `sumf += (d · da) · Σ q·qa + m · s` per block (s from the Q8_1 block).
    public static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var sum: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 20, y = a + b * 36
            var sumi0: Int32 = 0, sumi1: Int32 = 0
            for j in 0..<16 {
                let byte = x.load(fromByteOffset: 4 + j, as: UInt8.self)
                sumi0 += Int32(byte & 0x0f) * Int32(y.load(fromByteOffset: 4 + j, as: Int8.self))
                sumi1 += Int32(byte >> 4) * Int32(y.load(fromByteOffset: 20 + j, as: Int8.self))
            }
            sum += (loadHalf(x, 0) * loadHalf(y, 0)) * Float(sumi0 + sumi1) + loadHalf(x, 2) * loadHalf(y, 2)
        }
        return sum
    }

    /// quantize_row_q4_1_ref: d = (max − min)/15, m = min, q = min(15, trunc((x − min)/d + 0.5)).
    public static func quantizeReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<count / 32 {
            let src = x + b * 32, block = out + b * 20
            var minValue = Float.greatestFiniteMagnitude, maxValue = -Float.greatestFiniteMagnitude
            for j in 0..<32 {
                if src[j] < minValue { minValue = src[j] }
                if src[j] > maxValue { maxValue = src[j] }
            }
            let d = (maxValue - minValue) / 15
            let id: Float = d != 0 ? 1 / d : 0
            storeHalf(block, 0, d)
            storeHalf(block, 2, minValue)
            for j in 0..<16 {
                let v0 = Int8(truncatingIfNeeded: saturatingInt32((src[j] - minValue) * id + 0.5))
                let v1 = Int8(truncatingIfNeeded: saturatingInt32((src[j + 16] - minValue) * id + 0.5))
                let q0 = min(15, UInt8(truncatingIfNeeded: v0)), q1 = min(15, UInt8(truncatingIfNeeded: v1))
                block.storeBytes(of: q0 | (q1 << 4), toByteOffset: 4 + j, as: UInt8.self)
            }
        }
    }
}
