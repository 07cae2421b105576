// Reference math for the unquantized row formats F32, F16 and BF16, following ggml's generic vec_dot kernels
// (which accumulate in double) and its conversions of activations to the row's own format.

/// References for rows of plain floats; activations are converted to the weight format first, as ggml does.
public enum FloatRows {
    /// ggml_vec_dot_f32 (generic): Σ x·y accumulated in double.
    public static func dotF32Reference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        let x = w.assumingMemoryBound(to: Float.self), y = a.assumingMemoryBound(to: Float.self)
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i] * y[i]) }
        return Float(sum)
    }

    /// ggml_vec_dot_f16 (generic): products of the widened halves accumulated in double.
    public static func dotF16Reference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        let x = w.assumingMemoryBound(to: UInt16.self), y = a.assumingMemoryBound(to: UInt16.self)
        var sum: Double = 0
        for i in 0..<count { sum += Double(Half.f16ToF32(x[i]) * Half.f16ToF32(y[i])) }
        return Float(sum)
    }

    /// ggml_vec_dot_bf16 (generic): products of the widened bfloat16 values accumulated in double.
    public static func dotBF16Reference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        let x = w.assumingMemoryBound(to: UInt16.self), y = a.assumingMemoryBound(to: UInt16.self)
        var sum: Double = 0
        for i in 0..<count { sum += Double(Half.bf16ToF32(x[i]) * Half.bf16ToF32(y[i])) }
        return Float(sum)
    }

    /// Widens `count` halves to floats.
    public static func dequantizeF16(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = Half.f16ToF32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
    }

    /// Widens `count` bfloat16 values to floats.
    public static func dequantizeBF16(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = Half.bf16ToF32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
    }

    /// Copies `count` floats.
    public static func dequantizeF32(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>, count: Int) {
        out.update(from: src.assumingMemoryBound(to: Float.self), count: count)
    }

    /// Narrows floats to halves (round to nearest even), the F16 activation conversion.
    public static func convertToF16(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for i in 0..<count { out.storeBytes(of: Half.f32ToF16(x[i]), toByteOffset: 2 * i, as: UInt16.self) }
    }

    /// Narrows floats to bfloat16 (round to nearest even), the BF16 activation conversion.
    public static func convertToBF16(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for i in 0..<count { out.storeBytes(of: Half.f32ToBF16(x[i]), toByteOffset: 2 * i, as: UInt16.self) }
    }

    /// Copies floats (the F32 "conversion").
    public static func copyF32(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        out.copyMemory(from: x, byteCount: 4 * count)
    }
}
