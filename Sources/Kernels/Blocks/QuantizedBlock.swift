// The contract every weight block format meets: its geometry, its activation partner, and scalar reference
// math (dequantize, dot) that every fast path is tested against.

/// One ggml block format, described by its scalar reference implementation.
///
/// Why references live with the layout: the reference is the specification of the format's numerics (a line by
/// line reading of ggml's `_generic` kernels); fast paths in `SIMD/` and `CKernels` must agree with it.
public protocol QuantizedBlock {
    /// The weight format this block makes up.
    static var format: WeightFormat { get }
    /// Writes `count` floats decoded from `count / blockSize` consecutive blocks at `src`.
    /// - Precondition: `count` is a multiple of the block size.
    static func dequantizeReference(_ src: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>, count: Int)
    /// Dot product of `count` elements of weight blocks at `w` with activation blocks (in
    /// `format.activationFormat`) at `a`, accumulated in the order ggml's generic kernel uses.
    static func dotReference(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float
}

/// A block format that Tokenworks can also write (`tokenworks quantize`), byte for byte like ggml's
/// `quantize_row_*_ref` so llama.cpp reads the output as its own.
public protocol ReferenceQuantizer {
    /// Encodes `count` floats into `count / blockSize` blocks at `out`.
    /// - Precondition: `count` is a multiple of the block size.
    static func quantizeReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int)
}

@inline(__always)
func loadHalf(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    Half.f16ToF32(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
}

@inline(__always)
func storeHalf(_ p: UnsafeMutableRawPointer, _ offset: Int, _ value: Float) {
    p.storeBytes(of: Half.f32ToF16(value), toByteOffset: offset, as: UInt16.self)
}

/// Float to int8 the way C's `(int8_t)roundf(x)` does for in-range x: half away from zero.
@inline(__always)
func roundAwayToInt8(_ x: Float) -> Int8 { Int8(truncatingIfNeeded: saturatingInt32(x.rounded(.toNearestOrAwayFromZero))) }

/// Float to Int32 truncating toward zero, with NaN mapped to 0 and out-of-range values clamped, so corrupt input
/// (NaN or infinite weights) gives garbage blocks instead of a trap. In range it equals C's conversion.
@inline(__always)
func saturatingInt32(_ x: Float) -> Int32 {
    if x.isNaN { return 0 }
    return Int32(Swift.max(-2_147_483_520, Swift.min(2_147_483_520, x)))
}
