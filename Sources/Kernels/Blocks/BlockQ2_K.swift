// ggml's block_q2_K layout as a Swift struct (256-element super-blocks), its scalar reference math.

/// ggml's `block_q2_K`: 256-element super-blocks: 16 bytes of 4-bit scale/min pairs, 64 bytes of 2-bit quants, f16 d, f16 dmin (84 bytes).
public struct BlockQ2_K {
    public var scales: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8)
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public var d: UInt16
    public var dmin: UInt16
}

extension BlockQ2_K: KQuantBlock {
    public static var format: WeightFormat { .q2_K }
    public static var sumsPerSuperBlock: Bool { true }

    /// Element 128k + 32j + l is bits 2j..2j+1 of qs[32k + l]; group g's scale byte holds scale (low) and min (high).
    public static func unpack(_ block: UnsafeRawPointer, values: UnsafeMutablePointer<Int8>,
                              scales: UnsafeMutablePointer<Int32>, mins: UnsafeMutablePointer<Int32>) -> (d: Float, dmin: Float) {
        for g in 0..<16 {
            let sc = Int32(block.load(fromByteOffset: g, as: UInt8.self))
            scales[g] = sc & 0xF
            mins[g] = sc >> 4
        }
        for k in 0..<2 {
            for j in 0..<4 {
                for l in 0..<32 {
                    let q = block.load(fromByteOffset: 16 + 32 * k + l, as: UInt8.self)
                    values[128 * k + 32 * j + l] = Int8((q >> (2 * j)) & 3)
                }
            }
        }
        return (loadHalf(block, 80), loadHalf(block, 82))
    }
}
