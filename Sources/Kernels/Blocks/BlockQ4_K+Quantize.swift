// The Q4_K file quantizer: ggml's quantize_row_q4_K_ref (weighted min/scale search per 32-element sub-block, then
// 6-bit scales and mins relative to the super-block's largest), so `tokenworks quantize` writes q4_K as llama.cpp.

extension BlockQ4_K: ReferenceQuantizer {
    /// quantize_row_q4_K_ref. Floats are evaluated in ggml's source order without fused multiply-adds; a
    /// llama.cpp built with FMA contraction may differ in rare last-bit ties.
    public static func quantizeReference(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        var levels = [UInt8](repeating: 0, count: 256), aux = [UInt8](repeating: 0, count: 32)
        var weights = [Float](repeating: 0, count: 32)
        var scales = [Float](repeating: 0, count: 8), mins = [Float](repeating: 0, count: 8)
        for b in 0..<count / 256 {
            let src = x + 256 * b, block = out + 144 * b
            var maxScale: Float = 0, maxMin: Float = 0
            for j in 0..<8 {
                var sumX2: Float = 0
                for l in 0..<32 { sumX2 += src[32 * j + l] * src[32 * j + l] }
                let avX = (sumX2 / 32).squareRoot()
                for l in 0..<32 { weights[l] = avX + abs(src[32 * j + l]) }
                var theMin: Float = 0
                scales[j] = levels.withUnsafeMutableBufferPointer { l in
                    makeQKX2Quants(src + 32 * j, weights, l.baseAddress! + 32 * j, &theMin, &aux, nmax: 15,
                                   rmin: -1, rdelta: 0.1, nstep: 20)
                }
                mins[j] = theMin
                if scales[j] > maxScale { maxScale = scales[j] }
                if mins[j] > maxMin { maxMin = mins[j] }
            }
            let invScale: Float = maxScale > 0 ? 63 / maxScale : 0
            let invMin: Float = maxMin > 0 ? 63 / maxMin : 0
            var packed = [UInt8](repeating: 0, count: 12)
            for j in 0..<8 {
                let ls = min(63, UInt8(truncatingIfNeeded: saturatingInt32((invScale * scales[j]).rounded(.toNearestOrEven))))
                let lm = min(63, UInt8(truncatingIfNeeded: saturatingInt32((invMin * mins[j]).rounded(.toNearestOrEven))))
                if j < 4 {
                    packed[j] = ls
                    packed[j + 4] = lm
                } else {
                    packed[j + 4] = (ls & 0xF) | ((lm & 0xF) << 4)
                    packed[j - 4] |= (ls >> 4) << 6
                    packed[j] |= (lm >> 4) << 6
                }
            }
            storeHalf(block, 0, maxScale / 63)
            storeHalf(block, 2, maxMin / 63)
            for i in 0..<12 { block.storeBytes(of: packed[i], toByteOffset: 4 + i, as: UInt8.self) }
            let d = loadHalf(block, 0), dmin = loadHalf(block, 2)
            for j in 0..<8 {
                let (sc, m) = scaleMinK4(j, block + 4)
                let dl = d * Float(sc)
                if dl == 0 { continue }
                let dm = dmin * Float(m)
                for i in 0..<32 {
                    let l = saturatingInt32(((src[32 * j + i] + dm) / dl).rounded(.toNearestOrEven))
                    levels[32 * j + i] = UInt8(max(0, min(15, l)))
                }
            }
            for j in stride(from: 0, to: 256, by: 64) {
                for l in 0..<32 {
                    block.storeBytes(of: levels[j + l] | (levels[j + l + 32] << 4), toByteOffset: 16 + j / 2 + l,
                                     as: UInt8.self)
                }
            }
        }
    }
}

/// ggml's make_qkx2_quants: levels 0…nmax for n = 32 values with an affine (scale, −min) fit minimising the
/// weighted squared error over `nstep + 1` candidate scales. Returns the scale; `theMin` receives −min.
func makeQKX2Quants(_ x: UnsafePointer<Float>, _ weights: [Float], _ levels: UnsafeMutablePointer<UInt8>,
                    _ theMin: inout Float, _ aux: inout [UInt8], nmax: Int32, rmin: Float, rdelta: Float,
                    nstep: Int) -> Float {
    let n = 32
    var minValue = x[0], maxValue = x[0]
    var sumW = weights[0]
    var sumX = sumW * x[0]
    for i in 1..<n {
        if x[i] < minValue { minValue = x[i] }
        if x[i] > maxValue { maxValue = x[i] }
        let w = weights[i]
        sumW += w
        sumX += w * x[i]
    }
    if minValue > 0 { minValue = 0 }
    if maxValue == minValue {
        for i in 0..<n { levels[i] = 0 }
        theMin = -minValue
        return 0
    }
    var iscale = Float(nmax) / (maxValue - minValue)
    var scale = 1 / iscale
    var bestError: Float = 0
    for i in 0..<n {
        let l = saturatingInt32((iscale * (x[i] - minValue)).rounded(.toNearestOrEven))
        levels[i] = UInt8(max(0, min(nmax, l)))
        let diff = scale * Float(levels[i]) + minValue - x[i]
        bestError += weights[i] * (diff * diff)
    }
    for step in 0...nstep {
        iscale = (rmin + rdelta * Float(step) + Float(nmax)) / (maxValue - minValue)
        var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
        for i in 0..<n {
            let l = max(0, min(nmax, saturatingInt32((iscale * (x[i] - minValue)).rounded(.toNearestOrEven))))
            aux[i] = UInt8(l)
            let w = weights[i], lf = Float(l)
            sumL += w * lf
            sumL2 += w * lf * lf
            sumXL += w * lf * x[i]
        }
        let det = sumW * sumL2 - sumL * sumL
        if det > 0 {
            var thisScale = (sumW * sumXL - sumX * sumL) / det
            var thisMin = (sumL2 * sumX - sumL * sumXL) / det
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                let diff = thisScale * Float(aux[i]) + thisMin - x[i]
                error += weights[i] * (diff * diff)
            }
            if error < bestError {
                for i in 0..<n { levels[i] = aux[i] }
                bestError = error
                scale = thisScale
                minValue = thisMin
            }
        }
    }
    theMin = -minValue
    return scale
}
