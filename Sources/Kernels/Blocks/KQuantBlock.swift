// What the K-quant formats (Q2_K…Q6_K, 256-element super-blocks) share: each unpacks a super-block into 256 small
// integers with a scale (and minimum) per group of 16, and one reference turns that into ggml's dot and values.

/// A K-quant super-block format described by how it unpacks.
///
/// Why one unpacking contract: the five formats differ only in bit packing; their dot products against Q8_K are
/// all "Σ over 16-element groups of scale · Σ q·a, minus dmin · Σ min · (sum of the group's activations)".
public protocol KQuantBlock: QuantizedBlock {
    /// Writes the 256 quant values as ggml's generic kernels see them (signed for Q3_K/Q6_K, unsigned otherwise),
    /// the integer scale and minimum of each 16-element group, and returns the f16 super-block scales (d, dmin;
    /// dmin is 0 for formats without minimums).
    static func unpack(_ block: UnsafeRawPointer, values: UnsafeMutablePointer<Int8>,
                       scales: UnsafeMutablePointer<Int32>, mins: UnsafeMutablePointer<Int32>) -> (d: Float, dmin: Float)
    /// True for Q2_K, whose generic kernel sums each super-block in one float step instead of eight lanes.
    static var sumsPerSuperBlock: Bool { get }
}

extension KQuantBlock {
    public static var sumsPerSuperBlock: Bool { false }

    /// value = d · scale · q − dmin · min, per 16-element group (ggml's dequantize_row_q*_K).
    public static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                                           count: Int) {
        withKQuantScratch { values, scales, mins in
            for b in 0..<count / 256 {
                let (d, dmin) = unpack(src + b * format.bytesPerBlock, values: values, scales: scales, mins: mins)
                for g in 0..<16 {
                    let dl = d * Float(scales[g]), ml = dmin * Float(mins[g])
                    for l in 0..<16 { out[b * 256 + g * 16 + l] = dl * Float(values[g * 16 + l]) - ml }
                }
            }
        }
    }

    /// ggml_vec_dot_q*_K_q8_K_generic: integer group sums, scaled per super-block by d · dy into eight float lanes
    /// (element index mod 8), minus dmin · dy · Σ min · bsum per super-block; Q2_K adds each super-block at once.
    public static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        withKQuantScratch { values, scales, mins in
            var lanes = [Float](repeating: 0, count: 8)
            var total: Float = 0
            for b in 0..<count / 256 {
                let x = w + b * format.bytesPerBlock, y = a + b * 292
                let (d, dmin) = unpack(x, values: values, scales: scales, mins: mins)
                let dy = y.loadUnaligned(as: Float.self)
                var minSum: Int32 = 0
                for g in 0..<16 { minSum += Int32(y.loadUnaligned(fromByteOffset: 260 + 2 * g, as: Int16.self)) * mins[g] }
                if sumsPerSuperBlock {
                    var isum: Int32 = 0
                    for g in 0..<16 {
                        var groupSum: Int32 = 0
                        for l in 0..<16 {
                            groupSum += Int32(values[g * 16 + l]) * Int32(y.load(fromByteOffset: 4 + g * 16 + l, as: Int8.self))
                        }
                        isum += scales[g] * groupSum
                    }
                    total += (dy * d) * Float(isum) - (dy * dmin) * Float(minSum)
                } else {
                    var lane = [Int32](repeating: 0, count: 8)
                    for i in 0..<256 {
                        lane[i % 8] += scales[i / 16] * (Int32(values[i]) * Int32(y.load(fromByteOffset: 4 + i, as: Int8.self)))
                    }
                    let scale = d * dy
                    for l in 0..<8 { lanes[l] += scale * Float(lane[l]) }
                    total -= (dmin * dy) * Float(minSum)
                }
            }
            for l in 0..<8 { total += lanes[l] }
            return total
        }
    }
}

/// Temporary unpacking space (256 values, 16 scales, 16 mins) without heap allocation.
@inline(__always)
func withKQuantScratch<R>(_ body: (UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int32>,
                                   UnsafeMutablePointer<Int32>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { values in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 32) { ints in
            body(values.baseAddress!, ints.baseAddress!, ints.baseAddress! + 16)
        }
    }
}

/// The 6-bit scale and minimum of sub-block j (0..<8) from Q4_K/Q5_K's 12 packed bytes (get_scale_min_k4).
@inline(__always)
func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (scale: Int32, min: Int32) {
    func byte(_ i: Int) -> Int32 { Int32(q.load(fromByteOffset: i, as: UInt8.self)) }
    if j < 4 { return (byte(j) & 63, byte(j + 4) & 63) }
    return ((byte(j + 4) & 0xF) | ((byte(j - 4) >> 6) << 4), (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4))
}
