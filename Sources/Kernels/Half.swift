// IEEE half (f16) and bfloat16 conversions written with integer bit operations, so they behave the same on every
// platform (Swift's Float16 is missing on some targets) and round exactly like ggml.

/// Conversions between `Float` and the 16-bit float formats stored in GGUF files.
public enum Half {
    /// Widens an IEEE binary16 bit pattern to Float (exact; subnormals, infinities and NaN preserved).
    @inline(__always)
    public static func f16ToF32(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1f
        let mantissa = UInt32(h & 0x3ff)
        if exponent == 0 {
            // Zero or subnormal: value = mantissa · 2^-24, exact in Float.
            let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
            return Float(bitPattern: sign | magnitude.bitPattern)
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Narrows a Float to binary16, rounding to nearest with ties to even (as F16C's `vcvtps2ph` with
    /// rounding mode 0 and ggml's software conversion); overflow goes to infinity, NaN stays NaN.
    @inline(__always)
    public static func f32ToF16(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        var magnitude = bits & 0x7fff_ffff
        if magnitude >= 0x4780_0000 {  // ≥ 65536, infinity or NaN
            return sign | (magnitude > 0x7f80_0000 ? 0x7e00 : 0x7c00)
        }
        if magnitude < 0x3880_0000 {  // below the smallest normal half: let the FPU round the subnormal
            let rounded = Float(bitPattern: magnitude) + Float(bitPattern: 126 << 23)
            return sign | UInt16(truncatingIfNeeded: rounded.bitPattern &- (126 << 23))
        }
        let mantissaOdd = (magnitude >> 13) & 1
        magnitude = magnitude &+ (UInt32(bitPattern: Int32(15 - 127)) << 23) &+ 0xfff &+ mantissaOdd
        return sign | UInt16(truncatingIfNeeded: magnitude >> 13)
    }

    /// Widens a bfloat16 bit pattern to Float (exact).
    @inline(__always)
    public static func bf16ToF32(_ h: UInt16) -> Float { Float(bitPattern: UInt32(h) << 16) }

    /// Narrows a Float to bfloat16 with round-to-nearest-even; NaN becomes a quiet NaN (ggml_compute_fp32_to_bf16).
    @inline(__always)
    public static func f32ToBF16(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        if bits & 0x7fff_ffff > 0x7f80_0000 { return UInt16(truncatingIfNeeded: (bits >> 16) | 64) }
        return UInt16(truncatingIfNeeded: (bits &+ (0x7fff &+ ((bits >> 16) & 1))) >> 16)
    }
}
