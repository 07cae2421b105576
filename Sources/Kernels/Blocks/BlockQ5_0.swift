// ggml's block_q5_0 layout as a Swift struct (32-element blocks with a fifth bit), its scalar reference math.

/// ggml's `block_q5_0`: 32-element blocks with a fifth bit: f16 d, 4 bytes of high bits, 16 bytes of nibbles (22 bytes); value = d · (q − 16).
public struct BlockQ5_0 {
    public var d: UInt16
    public var qh: (UInt8, UInt8, UInt8, UInt8)
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8)
}

extension BlockQ5_0: QuantizedBlock {
    public static var format: WeightFormat { .q5_0 }

    /// Element j takes bit j of qh as its fifth bit, element j + 16 bit j + 16.
    @inline(__always)
    static func quant(_ block: UnsafeRawPointer, _ i: Int) -> Int32 {
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let byte = block.load(fromByteOffset: 6 + i % 16, as: UInt8.self)
        let low = Int32(i < 16 ? byte & 0xF : byte >> 4)
        return (low | Int32((qh >> UInt32(i)) & 1) << 4) - 16
    }

    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 32 {
            let block = src + b * 22
            let d = loadHalf(block, 0)
            for i in 0..<32 { out[b * 32 + i] = Float(quant(block, i)) * d }
        }
    }

    /// ggml_vec_dot_q5_0_q8_0_generic: `sumf += (d · da) · Σ (q − 16)·qa`.
    public static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var sum: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 22, y = a + b * 34
            var sumi: Int32 = 0
            for i in 0..<32 { sumi += quant(x, i) * Int32(y.load(fromByteOffset: 2 + i, as: Int8.self)) }
            sum += (loadHalf(x, 0) * loadHalf(y, 0)) * Float(sumi)
        }
        return sum
    }
}
