// ggml's block_q5_K layout as a Swift struct (256-element super-blocks), its scalar reference math.

/// ggml's `block_q5_K`: 256-element super-blocks: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 32 bytes of high bits, 128 bytes of nibbles (176 bytes).
public struct BlockQ5_K {
    public var d: UInt16
    public var dmin: UInt16
    public var scales: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public var qh: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8)
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

extension BlockQ5_K: KQuantBlock {
    public static var format: WeightFormat { .q5_K }

    /// Like Q4_K plus a fifth bit: element 64j + l takes bit 2j of qh[l], element 64j + 32 + l bit 2j + 1.
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
                let q = block.load(fromByteOffset: 48 + 32 * j + l, as: UInt8.self)
                let h = block.load(fromByteOffset: 16 + l, as: UInt8.self)
                values[64 * j + l] = Int8(q & 0xF) + ((h >> (2 * j)) & 1 != 0 ? 16 : 0)
                values[64 * j + 32 + l] = Int8(q >> 4) + ((h >> (2 * j + 1)) & 1 != 0 ? 16 : 0)
            }
        }
        return (loadHalf(block, 0), loadHalf(block, 2))
    }
}
