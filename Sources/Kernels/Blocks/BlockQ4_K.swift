// ggml's block_q4_K layout as a Swift struct (256-element super-blocks), its scalar reference math.

/// ggml's `block_q4_K`: 256-element super-blocks: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles (144 bytes).
public struct BlockQ4_K {
    public var d: UInt16
    public var dmin: UInt16
    public var scales: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8)
}

extension BlockQ4_K: KQuantBlock {
    public static var format: WeightFormat { .q4_K }

    /// Sub-block 2j is the low nibbles of qs[32j..<32j+32], sub-block 2j+1 the high nibbles; 6-bit scales and
    /// mins per 32-element sub-block (so both 16-groups of a sub-block share them).
    public static func unpack(_ block: UnsafeRawPointer, values: UnsafeMutablePointer<Int8>,
                              scales: UnsafeMutablePointer<Int32>, mins: UnsafeMutablePointer<Int32>) -> (d: Float, dmin: Float) {
        for s in 0..<8 {
            let (scale, min) = scaleMinK4(s, block + 4)
            scales[2 * s] = scale
            scales[2 * s + 1] = scale
            mins[2 * s] = min
            mins[2 * s + 1] = min
        }
        for j in 0..<4 {
            for l in 0..<32 {
                let q = block.load(fromByteOffset: 16 + 32 * j + l, as: UInt8.self)
                values[64 * j + l] = Int8(q & 0xF)
                values[64 * j + 32 + l] = Int8(q >> 4)
            }
        }
        return (loadHalf(block, 0), loadHalf(block, 2))
    }
}
