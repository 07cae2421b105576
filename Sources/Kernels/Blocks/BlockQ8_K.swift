// ggml's block_q8_K layout as a Swift struct (the K-quants' activation partner), its scalar reference math.

/// ggml's `block_q8_K`: the K-quants' activation partner: f32 d, 256 signed bytes, 16 int16 sums of 16 quants (292 bytes).
public struct BlockQ8_K {
    public var d: Float
    public var qs: (Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
             Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8)
    public var bsums: (Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16, Int16,
                Int16, Int16)
}

extension BlockQ8_K {
    /// quantize_row_q8_K_ref (what ggml-cpu runs on x86 too): iscale = −127 / (signed value of largest magnitude),
    /// q = min(127, nearest-even(iscale · x)), d = 1 / iscale, and the sum of each 16 quants. An all-zero block has
    /// d = 0 and zero quants and sums.
    public static func quantizeActivationReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer,
                                                   count: Int) {
        for b in 0..<count / 256 {
            let src = x + b * 256, block = out + b * 292
            var amax: Float = 0, maxValue: Float = 0
            for j in 0..<256 where abs(src[j]) > amax {
                amax = abs(src[j])
                maxValue = src[j]
            }
            guard amax != 0 else {
                block.initializeMemory(as: UInt8.self, repeating: 0, count: 292)
                continue
            }
            let iscale = -127 / maxValue
            for j in 0..<256 {
                let q = min(127, saturatingInt32((iscale * src[j]).rounded(.toNearestOrEven)))
                block.storeBytes(of: Int8(truncatingIfNeeded: q), toByteOffset: 4 + j, as: Int8.self)
            }
            for g in 0..<16 {
                var sum: Int16 = 0
                for l in 0..<16 { sum += Int16(block.load(fromByteOffset: 4 + 16 * g + l, as: Int8.self)) }
                block.storeBytes(of: sum, toByteOffset: 260 + 2 * g, as: Int16.self)
            }
            block.storeBytes(of: 1 / iscale, toByteOffset: 0, as: Float.self)
        }
    }

    /// Decodes activation blocks (d · q), for tests comparing against float math.
    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        for b in 0..<count / 256 {
            let block = src + b * 292
            let d = block.loadUnaligned(as: Float.self)
            for j in 0..<256 { out[b * 256 + j] = d * Float(block.load(fromByteOffset: 4 + j, as: Int8.self)) }
        }
    }
}
