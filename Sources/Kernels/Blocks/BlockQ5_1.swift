// ggml's block_q5_1 layout as a Swift struct (32-element blocks with a fifth bit and a minimum), its scalar reference math.

/// ggml's `block_q5_1`: 32-element blocks with a fifth bit and a minimum: f16 d, f16 m, 4 bytes of high bits, 16 bytes of nibbles (24 bytes); value = d · q + m.
public struct BlockQ5_1 {
    public var d: UInt16
    public var m: UInt16
    public var qh: (UInt8, UInt8, UInt8, UInt8)
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8)
}

extension BlockQ5_1: QuantizedBlock {
    public static var format: WeightFormat { .q5_1 }

    /// Element j takes bit j of qh as its fifth bit, element j + 16 bit j + 16; unsigned 0…31.
    @inline(__always)
    static func quant(_ block: UnsafeRawPointer, _ i: Int) -> Int32 {
        let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let byte = block.load(fromByteOffset: 8 + i % 16, as: UInt8.self)
        let low = Int32(i < 16 ? byte & 0xF : byte >> 4)
        return low | Int32((qh >> UInt32(i)) & 1) << 4
    }

    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 32 {
            let block = src + b * 24
            let d = loadHalf(block, 0), m = loadHalf(block, 2)
            for i in 0..<32 { out[b * 32 + i] = Float(quant(block, i)) * d + m }
        }
    }

    /// ggml_vec_dot_q5_1_q8_1_generic: `sumf += (d · da) · Σ q·qa + m · s`.
    public static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var sum: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 24, y = a + b * 36
            var sumi: Int32 = 0
            for i in 0..<32 { sumi += quant(x, i) * Int32(y.load(fromByteOffset: 4 + i, as: Int8.self)) }
            sum += (loadHalf(x, 0) * loadHalf(y, 0)) * Float(sumi) + loadHalf(x, 2) * loadHalf(y, 2)
        }
        return sum
    }
}
