// The named elementwise operations of the forward pass, as plain loops over buffers: rmsNorm, rope, softmax,
// swiglu. Reductions accumulate the way ggml does (sums of squares in Double) so logits track llama.cpp's.
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

    /// gate = silu(gate) * up, in place; silu(x) = x / (1 + e^-x) as ggml_silu_f32 computes it.
    @inline(__always)
    static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// Dot product of two F32 vectors with 8-wide SIMD accumulation.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            acc0 += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            acc1 += UnsafeRawPointer(a + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i + 8).loadUnaligned(as: SIMD8<Float>.self)
            i += 16
        }
        var s = (acc0 + acc1).sum()
        while i < count { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// y += a * x over `count` elements (accumulating attention-weighted values).
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let va = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= count {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + va * xv, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { y[i] += a * x[i]; i += 1 }
    }

    /// In-place softmax over `count` scores; the sum is kept in Double as ggml does.
    @inline(__always)
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maxValue = -Float.infinity
        for i in 0..<count where x[i] > maxValue { maxValue = x[i] }
        var sum: Double = 0
        for i in 0..<count {
            let e = expf(x[i] - maxValue)
            x[i] = e
            sum += Double(e)
        }
        let inv = Float(1 / sum)
        for i in 0..<count { x[i] *= inv }
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
    /// rotates (x[i], x[i + dims/2]). Dimensions past `dimensions` are left as they are.
    @inline(__always)
    static func rope(_ x: UnsafeMutablePointer<Float>, dimensions: Int, style: Architecture.RopeStyle,
                     cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = dimensions / 2
        switch style {
        case .adjacentPairs:
            for i in 0..<half {
                let a = x[2 * i], b = x[2 * i + 1]
                x[2 * i] = a * cos[i] - b * sin[i]
                x[2 * i + 1] = a * sin[i] + b * cos[i]
            }
        case .halfSplit:
            for i in 0..<half {
                let a = x[i], b = x[i + half]
                x[i] = a * cos[i] - b * sin[i]
                x[i + half] = a * sin[i] + b * cos[i]
            }
        }
    }
}
