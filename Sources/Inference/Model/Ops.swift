// The named elementwise operations of the forward pass, as plain loops over buffers: rmsNorm, residual add, rope,
// F16 rounding. Each does what ggml-cpu does operation for operation (sums of squares in Double, rope's fused
// products) so logits equal llama.cpp's; SwiGLU, softmax and the attention products live in Kernels' FloatOps.
import Foundation
import Kernels

enum Ops {
    /// out = x / sqrt(mean(x²) + eps) * weight, over one row of `count` elements.
    /// ggml sums squares in double precision; doing the same keeps the first-step logits within 1e-4 of it.
    @inline(__always)
    static func rmsNorm(_ x: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                        count: Int, epsilon: Float) {
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(count))
        let scale = 1 / (mean + epsilon).squareRoot()
        for i in 0..<count { out[i] = x[i] * scale * weight[i] }
    }

    /// y += x over `count` elements (the residual connection).
    @inline(__always)
    static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: a + b, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { y[i] += x[i]; i += 1 }
    }

    /// Rounds values through binary16 in place: the precision of llama.cpp's default F16 KV cache, applied where
    /// ggml converts (keys and values when stored, queries and attention weights before their dot products).
    @inline(__always)
    static func roundToHalf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = Half.f16ToF32(Half.f32ToF16(x[i])) }
    }

    /// Fills cos/sin tables for one position the way ggml's rope does: theta starts at the (scaled) position and
    /// is multiplied by base^(-2/dims) per pair in single precision, divided by per-pair factors when present.
    static func ropeTable(position: Int, dimensions: Int, base: Float, linearScale: Float,
                          factors: UnsafeBufferPointer<Float>,
                          cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(base, -2 / Float(dimensions))
        var theta = Float(position)
        let freqScale = 1 / linearScale
        for i in 0..<(dimensions / 2) {
            let factor: Float = factors.isEmpty ? 1 : factors[i]
            let t = freqScale * (theta / factor)
            cos[i] = cosf(t)
            sin[i] = sinf(t)
            theta *= thetaScale
        }
    }

    /// Rotates one head vector in place. Adjacent-pair mode rotates (x[2i], x[2i+1]); half-split (NeoX) mode
    /// rotates (x[i], x[i + dims/2]). Dimensions past `dimensions` are left as they are. The products are fused
    /// as GCC fuses them in ggml's rope (its -ffp-contract=fast build): x0·cos − x1·sin is fma(x0, cos, −x1·sin)
    /// and x0·sin + x1·cos is fma(x0, sin, x1·cos).
    @inline(__always)
    static func rope(_ x: UnsafeMutablePointer<Float>, dimensions: Int, style: Architecture.RopeStyle,
                     cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = dimensions / 2
        switch style {
        case .adjacentPairs:
            for i in 0..<half {
                let a = x[2 * i], b = x[2 * i + 1]
                x[2 * i] = (-(b * sin[i])).addingProduct(a, cos[i])
                x[2 * i + 1] = (b * cos[i]).addingProduct(a, sin[i])
            }
        case .halfSplit:
            for i in 0..<half {
                let a = x[i], b = x[i + half]
                x[i] = (-(b * sin[i])).addingProduct(a, cos[i])
                x[i + half] = (b * cos[i]).addingProduct(a, sin[i])
            }
        }
    }
}
