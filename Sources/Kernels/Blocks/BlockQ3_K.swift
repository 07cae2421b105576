// ggml's block_q3_K layout as a Swift struct (256-element super-blocks), its scalar reference math.

/// ggml's `block_q3_K`: 256-element super-blocks: 32 bytes of high bits, 64 bytes of 2-bit quants, 12 bytes of 6-bit scales, f16 d (110 bytes).
public struct BlockQ3_K {
    public var hmask: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8)
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public var scales: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    public var d: UInt16
}

extension BlockQ3_K: KQuantBlock {
    public static var format: WeightFormat { .q3_K }

    /// Element 128k + 32j + l: bits 2j..2j+1 of qs[32k + l], minus 4 unless bit (4k + j) of hmask[l] is set;
    /// sixteen 6-bit scales (biased by 32) packed in 12 bytes.
    public static func unpack(_ block: UnsafeRawPointer, values: UnsafeMutablePointer<Int8>,
                              scales: UnsafeMutablePointer<Int32>, mins: UnsafeMutablePointer<Int32>) -> (d: Float, dmin: Float) {
        for k in 0..<2 {
            for j in 0..<4 {
                let bit = UInt8(1) << (4 * k + j)
                for l in 0..<32 {
                    let q = Int8((block.load(fromByteOffset: 32 + 32 * k + l, as: UInt8.self) >> (2 * j)) & 3)
                    let high = block.load(fromByteOffset: l, as: UInt8.self) & bit != 0
                    values[128 * k + 32 * j + l] = q - (high ? 0 : 4)
                }
            }
        }
        let a0 = block.loadUnaligned(fromByteOffset: 96, as: UInt32.self)
        let a1 = block.loadUnaligned(fromByteOffset: 100, as: UInt32.self)
        let tmp = block.loadUnaligned(fromByteOffset: 104, as: UInt32.self)
        let mask2: UInt32 = 0x0f0f_0f0f, mask1: UInt32 = 0x0303_0303
        let words = [(a0 & mask2) | (((tmp >> 0) & mask1) << 4), (a1 & mask2) | (((tmp >> 2) & mask1) << 4),
                     ((a0 >> 4) & mask2) | (((tmp >> 4) & mask1) << 4), ((a1 >> 4) & mask2) | (((tmp >> 6) & mask1) << 4)]
        for g in 0..<16 {
            scales[g] = Int32((words[g / 4] >> (8 * UInt32(g % 4))) & 0xff) - 32
            mins[g] = 0
        }
        return (loadHalf(block, 108), 0)
    }
}
