// Portable fast paths in Swift SIMD types: they build everywhere (arm64/macOS included) and vectorize with the
// baseline ISA of the target. Integer block sums are exact and blocks are summed in the reference order; float
// rows accumulate in eight f32 lanes instead of the reference's double.

/// Dot products written with SIMD16/SIMD8 vectors, one block (or eight floats) per step.
enum PortableDots {
    @inline(__always)
    static func widen(_ v: SIMD16<UInt8>) -> SIMD16<Int16> { SIMD16<Int16>(truncatingIfNeeded: v) }
    @inline(__always)
    static func widen(_ v: SIMD16<Int8>) -> SIMD16<Int16> { SIMD16<Int16>(truncatingIfNeeded: v) }
    @inline(__always)
    static func sum(_ p: SIMD16<Int16>, _ q: SIMD16<Int16>) -> Int32 {
        (SIMD16<Int32>(truncatingIfNeeded: p) &+ SIMD16<Int32>(truncatingIfNeeded: q)).wrappedSum()
    }

    static func q4_1(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var total: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 20, y = a + b * 36
            let packed = x.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
            let a0 = widen(y.loadUnaligned(fromByteOffset: 4, as: SIMD16<Int8>.self))
            let a1 = widen(y.loadUnaligned(fromByteOffset: 20, as: SIMD16<Int8>.self))
            let sumi = sum(widen(packed & 0x0f) &* a0, widen(packed &>> 4) &* a1)
            total += (loadHalf(x, 0) * loadHalf(y, 0)) * Float(sumi) + loadHalf(x, 2) * loadHalf(y, 2)
        }
        return total
    }

    static func q4_0(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var total: Float = 0
        let eight = SIMD16<Int16>(repeating: 8)
        for b in 0..<count / 32 {
            let x = w + b * 18, y = a + b * 34
            let packed = x.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
            let a0 = widen(y.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self))
            let a1 = widen(y.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self))
            let sumi = sum((widen(packed & 0x0f) &- eight) &* a0, (widen(packed &>> 4) &- eight) &* a1)
            total += Float(sumi) * (loadHalf(x, 0) * loadHalf(y, 0))
        }
        return total
    }

    static func q8_0(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var total: Float = 0
        for b in 0..<count / 32 {
            let x = w + b * 34, y = a + b * 34
            let w0 = widen(x.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self))
            let w1 = widen(x.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self))
            let a0 = widen(y.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self))
            let a1 = widen(y.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self))
            total += Float(sum(w0 &* a0, w1 &* a1)) * (loadHalf(x, 0) * loadHalf(y, 0))
        }
        return total
    }

    static func f32(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            acc += w.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                * a.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < count {
            total += w.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                * a.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
            i += 1
        }
        return total
    }

    static func f16(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        halfDot(count, w, a, Half.f16ToF32)
    }

    static func bf16(count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let x = SIMD8<UInt32>(truncatingIfNeeded: w.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self))
            let y = SIMD8<UInt32>(truncatingIfNeeded: a.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self))
            let xf = unsafeBitCast(x &<< 16, to: SIMD8<Float>.self), yf = unsafeBitCast(y &<< 16, to: SIMD8<Float>.self)
            acc += xf * yf
            i += 8
        }
        var total = acc.sum()
        while i < count {
            total += Half.bf16ToF32(w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                * Half.bf16ToF32(a.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            i += 1
        }
        return total
    }

    @inline(__always)
    static func halfDot(_ count: Int, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer,
                        _ widen: (UInt16) -> Float) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            var x = SIMD8<Float>(), y = SIMD8<Float>()
            for k in 0..<8 {
                x[k] = widen(w.loadUnaligned(fromByteOffset: 2 * (i + k), as: UInt16.self))
                y[k] = widen(a.loadUnaligned(fromByteOffset: 2 * (i + k), as: UInt16.self))
            }
            acc += x * y
            i += 8
        }
        var total = acc.sum()
        while i < count {
            total += widen(w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                * widen(a.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            i += 1
        }
        return total
    }
}

extension KernelSet {
    /// Portable Swift SIMD kernels (the fast path on arm64 and on x86 CPUs without AVX2).
    public static let portable = KernelSet(
        name: "portable",
        gemms: [
            .f32: gemmFromDot(PortableDots.f32),
            .f16: gemmFromDot(PortableDots.f16),
            .bf16: gemmFromDot(PortableDots.bf16),
            .q8_0: gemmFromDot(PortableDots.q8_0),
            .q4_0: gemmFromDot(PortableDots.q4_0),
            .q4_1: gemmFromDot(PortableDots.q4_1),
            // No portable SIMD versions yet: the references (already integer-exact and allocation-light).
            .q5_0: gemmFromDot(BlockQ5_0.dotReference),
            .q5_1: gemmFromDot(BlockQ5_1.dotReference),
            .q2_K: gemmFromDot(BlockQ2_K.dotReference),
            .q3_K: gemmFromDot(BlockQ3_K.dotReference),
            .q4_K: gemmFromDot(BlockQ4_K.dotReference),
            .q5_K: gemmFromDot(BlockQ5_K.dotReference),
            .q6_K: gemmFromDot(BlockQ6_K.dotReference),
        ],
        converters: [
            .f32: FloatRows.copyF32,
            .f16: FloatRows.convertToF16,
            .bf16: FloatRows.convertToBF16,
            .q8_0: BlockQ8_0.quantizeActivationReference,
            .q8_1: BlockQ8_1.quantizeActivationReference,
            .q8_K: BlockQ8_K.quantizeActivationReference,
        ])
}
