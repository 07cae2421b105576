// ggml's block_q6_K layout as a Swift struct (256-element super-blocks), its scalar reference math.

/// ggml's `block_q6_K`: 256-element super-blocks: 128 bytes of low nibbles, 64 bytes of 2-bit highs, 16 signed 8-bit scales, f16 d (210 bytes).
public struct BlockQ6_K {
    public var ql: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8)
    public var qh: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public var scales: (Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8)
    public var d: UInt16
}

extension BlockQ6_K: KQuantBlock {
    public static var format: WeightFormat { .q6_K }

    /// Per half n (128 elements): element l, l+32, l+64, l+96 from the low/high nibbles of ql[64n + l] and
    /// ql[64n + 32 + l] with two high bits each from qh[32n + l], minus 32; signed 8-bit scale per 16 elements.
    public static func unpack(_ block: UnsafeRawPointer, values: UnsafeMutablePointer<Int8>,
                              scales: UnsafeMutablePointer<Int32>, mins: UnsafeMutablePointer<Int32>) -> (d: Float, dmin: Float) {
        for n in 0..<2 {
            for l in 0..<32 {
                let ql0 = block.load(fromByteOffset: 64 * n + l, as: UInt8.self)
                let ql1 = block.load(fromByteOffset: 64 * n + 32 + l, as: UInt8.self)
                let qh = block.load(fromByteOffset: 128 + 32 * n + l, as: UInt8.self)
                values[128 * n + l] = Int8((ql0 & 0xF) | ((qh & 3) << 4)) - 32
                values[128 * n + 32 + l] = Int8((ql1 & 0xF) | (((qh >> 2) & 3) << 4)) - 32
                values[128 * n + 64 + l] = Int8((ql0 >> 4) | (((qh >> 4) & 3) << 4)) - 32
                values[128 * n + 96 + l] = Int8((ql1 >> 4) | (((qh >> 6) & 3) << 4)) - 32
            }
        }
        for g in 0..<16 {
            scales[g] = Int32(block.load(fromByteOffset: 192 + g, as: Int8.self))
            mins[g] = 0
        }
        return (loadHalf(block, 208), 0)
    }
}
