// Decodes rows of any implemented format to floats: embedding lookups, tests and tools (not the matmul hot path).
import CKernels

/// Format-dispatched row decoding.
public enum Dequantizer {
    /// Writes `count` floats decoded from `src` in `format`. Returns false (writing nothing) for formats without
    /// a decoder.
    /// - Precondition: `count` is a multiple of the block size and `src` holds that many elements.
    @discardableResult
    public static func decode(_ format: WeightFormat, _ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>,
                              count: Int) -> Bool {
        switch format {
        case .f32: FloatRows.dequantizeF32(src, into: out, count: count)
        case .f16:
            #if arch(x86_64)
            if CPUFeatures.current.supportsAVX2Kernels {
                tw_dequantize_f16_avx2(src, out, Int64(count))
                return true
            }
            #endif
            FloatRows.dequantizeF16(src, into: out, count: count)
        case .bf16: FloatRows.dequantizeBF16(src, into: out, count: count)
        case .q8_0: BlockQ8_0.dequantizeReference(src, into: out, count: count)
        case .q4_0: BlockQ4_0.dequantizeReference(src, into: out, count: count)
        case .q4_1: BlockQ4_1.dequantizeReference(src, into: out, count: count)
        case .q5_0: BlockQ5_0.dequantizeReference(src, into: out, count: count)
        case .q5_1: BlockQ5_1.dequantizeReference(src, into: out, count: count)
        case .q2_K: BlockQ2_K.dequantizeReference(src, into: out, count: count)
        case .q3_K: BlockQ3_K.dequantizeReference(src, into: out, count: count)
        case .q4_K: BlockQ4_K.dequantizeReference(src, into: out, count: count)
        case .q5_K: BlockQ5_K.dequantizeReference(src, into: out, count: count)
        case .q6_K: BlockQ6_K.dequantizeReference(src, into: out, count: count)
        }
        return true
    }
}
