// The Swift reference of FloatOps: ggml-cpu's AVX-512 float math written out lane by lane with explicit fused
// multiply-adds. It is the specification the C paths (CKernels/float_ops_x86.h) are tested against, and what
// machines without them run.
import Foundation

extension FloatOps {
    /// Scalar twin of the x86 paths, bit for bit.
    public static let reference = FloatOps(
        name: "reference",
        swiglu: { y, x, g, n in
            var i = 0
            while i + 16 <= n {
                for k in i..<i + 16 { y[k] = x[k] / (1 + ggmlExp(0 - x[k])) * g[k] }
                i += 16
            }
            while i < n {
                y[i] = x[i] / (1 + expf(-x[i])) * g[i]
                i += 1
            }
        },
        softmax: { x, n in
            var maxValue = -Float.infinity
            for i in 0..<n where x[i] > maxValue { maxValue = x[i] }
            var sum: Double = 0
            var i = 0
            while i < n {
                var chunk = SIMD16<Float>()
                for k in 0..<16 where i + k < n {
                    let e = ggmlExp(x[i + k] - maxValue)
                    x[i + k] = e
                    chunk[k] = e
                }
                sum += Double(reduce16(chunk))
                i += 16
            }
            let inv = Float(1 / sum)
            for k in 0..<n { x[k] *= inv }
        },
        scores: { q, keys, stride, count, dims, batch, out in
            for j in 0..<count {
                let k = keys + j * stride
                out[j] = batch && dims % 16 == 0 ? tiledDot(k, q, dims) : vecDot(k, q, dims)
            }
        },
        accumulate: { acc, lanes, first, values, stride, p, count, dims in
            for j in 0..<count {
                let a = acc + ((first + j) % lanes) * dims, v = values + j * stride
                for i in 0..<dims { a[i] = a[i].addingProduct(v[i], p[j]) }
            }
        },
        laneReduce: { acc, lanes, dims, out in
            var v = SIMD16<Float>()
            for i in 0..<dims {
                for l in 0..<16 {
                    let a = acc + i
                    v[l] = lanes == 64
                        ? (a[l * dims] + a[(32 + l) * dims]) + (a[(16 + l) * dims] + a[(48 + l) * dims])
                        : a[l * dims]
                }
                out[i] = reduce16(v)
            }
        })

    /// ggml_v_expf as built for AVX-512: a degree-5 polynomial in fused multiply-adds around n = round(x / ln 2),
    /// scaled by 2^n (scalef); |n| > 192 gives 0 or +∞. Not libm's expf: results differ in the last bits.
    public static func ggmlExp(_ x: Float) -> Float {
        let r: Float = 0x1.8p23
        let n = r.addingProduct(x, 0x1.715476p+0) - r
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let high = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let low = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let j = Float(1).addingProduct(0x1.ffffecp-1, b).addingProduct(low.addingProduct(high, u), u)
        if n.isNaN { return n }
        if abs(n) > 192 { return n <= 0 ? 0 : .infinity }
        return Float(Double(sign: .plus, exponent: Int(n), significand: Double(j)))
    }

    /// `_mm512_reduce_add_ps` as GCC expands it: halves, quarters, then (0 + 2) + (1 + 3).
    static func reduce16(_ v: SIMD16<Float>) -> Float {
        let h = v.highHalf + v.lowHalf, q = h.highHalf + h.lowHalf
        return (q[0] + q[2]) + (q[1] + q[3])
    }

    /// ggml_vec_dot_f16 (AVX-512): four 16-lane fused accumulators over 64-element steps, (a0 + a2) + (a1 + a3),
    /// `reduce16`, then the tail added in double.
    static func vecDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0
        var i = 0
        func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
        while i + 64 <= n {
            a0 = a0.addingProduct(load(x + i), load(y + i))
            a1 = a1.addingProduct(load(x + i + 16), load(y + i + 16))
            a2 = a2.addingProduct(load(x + i + 32), load(y + i + 32))
            a3 = a3.addingProduct(load(x + i + 48), load(y + i + 48))
            i += 64
        }
        var sum = Double(reduce16((a0 + a2) + (a1 + a3)))
        while i < n {
            sum += Double(x[i] * y[i])
            i += 1
        }
        return Float(sum)
    }

    /// llamafile's tinyBLAS (AVX-512, 16 floats per vector): one fused accumulator over the row, then `reduce16`.
    static func tiledDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            acc = acc.addingProduct(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self),
                                    UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self))
            i += 16
        }
        return reduce16(acc)
    }
}
