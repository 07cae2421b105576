// Deterministic test data for the kernel tests: a seeded generator, random blocks of each format with realistic
// scales, activations converted by the reference, and the float-error bound the parity tests use.
import Kernels

/// SplitMix64: small, seeded, identical on every platform.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Every format has kernels.
let implementedFormats: [WeightFormat] = WeightFormat.allCases

/// A row length of a few blocks for `format` (not a multiple of 8 or 16 for float rows, to reach tail code).
func testColumns(_ format: WeightFormat) -> Int {
    switch format.blockSize {
    case 1: return 300
    case 32: return 288
    default: return 512
    }
}

/// Byte offsets of the f16 super-block scale and (when present) minimum in one block of `format`.
func halfScaleOffsets(_ format: WeightFormat) -> (d: Int, min: Int?) {
    switch format {
    case .q4_1, .q5_1, .q4_K, .q5_K: return (0, 2)
    case .q2_K: return (80, 82)
    case .q3_K: return (108, nil)
    case .q6_K: return (208, nil)
    default: return (0, nil)
    }
}

/// Bytes of a little-endian hex string.
func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16) ?? 0)
        index = next
    }
    return out
}

/// Random floats with a normal-ish distribution (sum of uniforms), scaled.
func randomFloats(_ count: Int, scale: Float = 1, using rng: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in
        (Float.random(in: -1...1, using: &rng) + Float.random(in: -1...1, using: &rng)
            + Float.random(in: -1...1, using: &rng)) * scale
    }
}

/// `rows` random weight rows of `columns` elements in `format`: random quant bytes with f16 scales in a realistic
/// range, or random floats for the float formats. With `unitScales` every d is 1 and every m is 0, so dot
/// products are exact integers and fast paths must equal the reference bit for bit.
func randomWeights(_ format: WeightFormat, rows: Int, columns: Int, unitScales: Bool = false,
                   using rng: inout SeededGenerator) -> [UInt8] {
    let rowBytes = format.rowBytes(columns: columns)
    var data = [UInt8](repeating: 0, count: rows * rowBytes)
    switch format {
    case .f32, .f16, .bf16:
        let values = randomFloats(rows * columns, scale: unitScales ? 8 : 0.5, using: &rng)
            .map { unitScales ? $0.rounded() : $0 }
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                switch format {
                case .f32: raw.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self)
                case .f16: raw.storeBytes(of: Half.f32ToF16(v), toByteOffset: 2 * i, as: UInt16.self)
                default: raw.storeBytes(of: Half.f32ToBF16(v), toByteOffset: 2 * i, as: UInt16.self)
                }
            }
        }
    default:
        for i in data.indices { data[i] = UInt8.random(in: 0...255, using: &rng) }
        let blocks = rows * columns / format.blockSize
        data.withUnsafeMutableBytes { raw in
            for b in 0..<blocks {
                let offset = b * format.bytesPerBlock
                let (dOffset, minOffset) = halfScaleOffsets(format)
                let d = unitScales ? 1 : Float.random(in: 0.0005...0.05, using: &rng)
                raw.storeBytes(of: Half.f32ToF16(d), toByteOffset: offset + dOffset, as: UInt16.self)
                if let minOffset {
                    // Q4_1/Q5_1 store a (negative) minimum; K-quants a positive dmin that is subtracted.
                    let m = unitScales ? 0 : format.blockSize == 32 ? Float.random(in: -0.4...0, using: &rng)
                        : Float.random(in: 0.0005...0.02, using: &rng)
                    raw.storeBytes(of: Half.f32ToF16(m), toByteOffset: offset + minOffset, as: UInt16.self)
                }
            }
        }
    }
    return data
}

/// `tokens` activation rows converted for `format` by the reference converter; with `unitScales`, raw integer
/// blocks with d = 1 (and s = 0) instead.
func randomActivations(for format: WeightFormat, tokens: Int, columns: Int, unitScales: Bool = false,
                       using rng: inout SeededGenerator) -> (floats: [Float], converted: [UInt8]) {
    let activation = format.activationFormat
    let rowBytes = activation.rowBytes(columns: columns)
    let floats = randomFloats(tokens * columns, scale: unitScales ? 8 : 1, using: &rng)
        .map { unitScales ? $0.rounded() : $0 }
    var converted = [UInt8](repeating: 0, count: tokens * rowBytes)
    if unitScales && (activation == .q8_0 || activation == .q8_1) {
        let header = activation == .q8_0 ? 2 : 4
        converted.withUnsafeMutableBytes { raw in
            for b in 0..<tokens * columns / 32 {
                let offset = b * activation.bytesPerBlock
                raw.storeBytes(of: UInt16(0x3c00), toByteOffset: offset, as: UInt16.self)
                for j in 0..<32 {
                    raw.storeBytes(of: Int8.random(in: -127...127, using: &rng), toByteOffset: offset + header + j,
                                   as: Int8.self)
                }
            }
        }
        return (floats, converted)
    }
    if unitScales && activation == .q8_K {
        converted.withUnsafeMutableBytes { raw in
            for b in 0..<tokens * columns / 256 {
                let offset = b * 292
                raw.storeBytes(of: Float(1), toByteOffset: offset, as: Float.self)
                for g in 0..<16 {
                    var sum: Int16 = 0
                    for l in 0..<16 {
                        let q = Int8.random(in: -127...127, using: &rng)
                        sum += Int16(q)
                        raw.storeBytes(of: q, toByteOffset: offset + 4 + 16 * g + l, as: Int8.self)
                    }
                    raw.storeBytes(of: sum, toByteOffset: offset + 260 + 2 * g, as: Int16.self)
                }
            }
        }
        return (floats, converted)
    }
    floats.withUnsafeBufferPointer { x in
        converted.withUnsafeMutableBytes { out in
            for t in 0..<tokens {
                KernelSet.reference.convertActivations(activation, x.baseAddress! + t * columns,
                                                       into: out.baseAddress! + t * rowBytes, count: columns)
            }
        }
    }
    return (floats, converted)
}

/// Decodes one converted activation row back to floats (for float-math comparisons).
func decodeActivations(_ format: ActivationFormat, _ src: UnsafeRawPointer, count: Int) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { o in
        switch format {
        case .f32: Dequantizer.decode(.f32, src, into: o.baseAddress!, count: count)
        case .f16: Dequantizer.decode(.f16, src, into: o.baseAddress!, count: count)
        case .bf16: Dequantizer.decode(.bf16, src, into: o.baseAddress!, count: count)
        case .q8_0: Dequantizer.decode(.q8_0, src, into: o.baseAddress!, count: count)
        case .q8_1: BlockQ8_1.dequantizeReference(src, into: o.baseAddress!, count: count)
        case .q8_K: BlockQ8_K.dequantizeReference(src, into: o.baseAddress!, count: count)
        }
    }
    return out
}

/// Σ |w_i|·|a_i| (+ Σ |m·s| for Q4_1): the magnitude that bounds float rounding in a dot product.
/// Reassociating n float additions changes a sum by at most n·ε·magnitude (ε = 2⁻²³), the tolerance we allow
/// between two correct implementations that add in different orders.
func dotMagnitude(_ format: WeightFormat, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer, count: Int) -> Float {
    var wf = [Float](repeating: 0, count: count)
    wf.withUnsafeMutableBufferPointer { _ = Dequantizer.decode(format, w, into: $0.baseAddress!, count: count) }
    let af = decodeActivations(format.activationFormat, a, count: count)
    var total: Float = 0
    for i in 0..<count { total += abs(wf[i]) * abs(af[i]) }
    if let kquant = kQuantType(format) {
        // d·scale·Σq·a and dmin·min·Σa are each rounded before they cancel: bound both.
        total = 0
        var values = [Int8](repeating: 0, count: 256), scales = [Int32](repeating: 0, count: 16), mins = scales
        for b in 0..<count / 256 {
            let (d, dmin) = kquant.unpack(w + b * format.bytesPerBlock, values: &values, scales: &scales, mins: &mins)
            for i in 0..<256 {
                let g = i / 16
                total += (abs(d * Float(scales[g]) * Float(values[i])) + abs(dmin * Float(mins[g])))
                    * abs(af[b * 256 + i])
            }
        }
    }
    if format == .q4_1 || format == .q5_1 {
        for b in 0..<count / 32 {
            let m = Half.f16ToF32(w.loadUnaligned(fromByteOffset: b * format.bytesPerBlock + 2, as: UInt16.self))
            let s = Half.f16ToF32(a.loadUnaligned(fromByteOffset: b * 36 + 2, as: UInt16.self))
            total += abs(m * s)
            for j in 0..<32 { total += abs(m) * abs(af[b * 32 + j]) }
        }
    }
    return total
}

/// n·ε·magnitude with n the element count (never smaller than the number of additions any path does).
func reassociationTolerance(count: Int, magnitude: Float) -> Float {
    Float(count + 8) * Float.ulpOfOne * magnitude + Float.leastNormalMagnitude
}

/// The K-quant block type of `format`, if it is one.
func kQuantType(_ format: WeightFormat) -> (any KQuantBlock.Type)? {
    switch format {
    case .q2_K: return BlockQ2_K.self
    case .q3_K: return BlockQ3_K.self
    case .q4_K: return BlockQ4_K.self
    case .q5_K: return BlockQ5_K.self
    case .q6_K: return BlockQ6_K.self
    default: return nil
    }
}
