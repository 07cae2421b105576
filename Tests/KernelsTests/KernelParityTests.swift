// Every kernel set agrees with the scalar reference: exactly where the math is integer, within the float
// reassociation bound otherwise; and the reference agrees with plain float math on the decoded values.
import Kernels
import XCTest

final class KernelParityTests: XCTestCase {
    private func columns(_ format: WeightFormat) -> Int { testColumns(format) }

    func testTheBestKernelSetOnThisMachineIsTheWidestItCanRun() {
        let features = CPUFeatures.current
        if features.supportsAVX512Kernels {
            XCTAssertEqual(KernelSet.best.name, "avx512")
        } else if features.supportsAVX2Kernels {
            XCTAssertEqual(KernelSet.best.name, "avx2")
        } else {
            XCTAssertEqual(KernelSet.best.name, "portable")
        }
    }

    func testEveryKernelSetSupportsEveryFormat() {
        for set in KernelSet.available {
            for format in implementedFormats { XCTAssertTrue(set.supports(format), "\(set.name) \(format)") }
        }
    }

    func testIntegerDotsOfEveryKernelSetEqualTheReferenceExactly() {
        var rng = SeededGenerator(seed: 1)
        for format in implementedFormats {
            let n = columns(format)
            let w = randomWeights(format, rows: 1, columns: n, unitScales: true, using: &rng)
            let a = randomActivations(for: format, tokens: 1, columns: n, unitScales: true, using: &rng).converted
            w.withUnsafeBytes { wp in
                a.withUnsafeBytes { ap in
                    let expected = KernelSet.reference.dot(format, count: n, wp.baseAddress!, ap.baseAddress!)
                    XCTAssertEqual(expected, expected.rounded(), "\(format): unit-scale dot must be an integer")
                    for set in KernelSet.available {
                        XCTAssertEqual(set.dot(format, count: n, wp.baseAddress!, ap.baseAddress!), expected,
                                       "\(set.name) \(format)")
                    }
                }
            }
        }
    }

    func testDotsOfEveryKernelSetMatchTheReferenceOnRandomData() {
        var rng = SeededGenerator(seed: 2)
        for format in implementedFormats {
            let n = columns(format)
            for _ in 0..<20 {
                let w = randomWeights(format, rows: 1, columns: n, using: &rng)
                let a = randomActivations(for: format, tokens: 1, columns: n, using: &rng).converted
                w.withUnsafeBytes { wp in
                    a.withUnsafeBytes { ap in
                        let expected = KernelSet.reference.dot(format, count: n, wp.baseAddress!, ap.baseAddress!)
                        let tolerance = reassociationTolerance(
                            count: n, magnitude: dotMagnitude(format, wp.baseAddress!, ap.baseAddress!, count: n))
                        for set in KernelSet.available {
                            XCTAssertEqual(set.dot(format, count: n, wp.baseAddress!, ap.baseAddress!), expected,
                                           accuracy: tolerance, "\(set.name) \(format)")
                        }
                    }
                }
            }
        }
    }

    func testReferenceDotEqualsFloatMathOnDecodedValues() {
        var rng = SeededGenerator(seed: 3)
        for format in implementedFormats {
            let n = columns(format)
            let w = randomWeights(format, rows: 1, columns: n, using: &rng)
            let a = randomActivations(for: format, tokens: 1, columns: n, using: &rng).converted
            w.withUnsafeBytes { wp in
                a.withUnsafeBytes { ap in
                    var wf = [Float](repeating: 0, count: n)
                    Dequantizer.decode(format, wp.baseAddress!, into: &wf, count: n)
                    let af = decodeActivations(format.activationFormat, ap.baseAddress!, count: n)
                    var naive: Double = 0
                    for i in 0..<n { naive += Double(wf[i]) * Double(af[i]) }
                    let magnitude = dotMagnitude(format, wp.baseAddress!, ap.baseAddress!, count: n)
                    // Q8_1 stores s = d·Σq in f16, so the minimum's term is off by up to 2^-11 relative.
                    let tolerance = format == .q4_1 || format == .q5_1 ? magnitude * 0.001
                        : reassociationTolerance(count: n, magnitude: magnitude)
                    XCTAssertEqual(Double(KernelSet.reference.dot(format, count: n, wp.baseAddress!, ap.baseAddress!)),
                                   naive, accuracy: Double(tolerance), "\(format)")
                }
            }
        }
    }

    func testActivationConvertersOfEveryKernelSetMatchTheReferenceByteForByte() {
        var rng = SeededGenerator(seed: 4)
        var x = randomFloats(256 * 5, scale: 3, using: &rng)
        x[5] = 0.5 * 127 / 1  // exact tie candidates and a zero block
        for j in 512..<768 { x[j] = 0 }  // a zero block for every block size
        x[300] = -x.map(abs).max()! * 2  // a negative largest value (Q8_K's scale sign)
        for format in [ActivationFormat.q8_0, .q8_1, .q8_K, .f16, .bf16] {
            let size = format.rowBytes(columns: x.count)
            var expected = [UInt8](repeating: 0, count: size)
            x.withUnsafeBufferPointer { xs in
                expected.withUnsafeMutableBytes {
                    KernelSet.reference.convertActivations(format, xs.baseAddress!, into: $0.baseAddress!, count: x.count)
                }
                for set in KernelSet.available {
                    var got = [UInt8](repeating: 0, count: size)
                    got.withUnsafeMutableBytes {
                        set.convertActivations(format, xs.baseAddress!, into: $0.baseAddress!, count: x.count)
                    }
                    XCTAssertEqual(got, expected, "\(set.name) \(format)")
                }
            }
        }
    }

    func testQ8_1ActivationSumIsScaleTimesQuantSum() {
        var rng = SeededGenerator(seed: 5)
        let x = randomFloats(32, using: &rng)
        var block = [UInt8](repeating: 0, count: 36)
        x.withUnsafeBufferPointer { xs in
            block.withUnsafeMutableBytes {
                BlockQ8_1.quantizeActivationReference(xs.baseAddress!, into: $0.baseAddress!, count: 32)
            }
        }
        let amax = x.map(abs).max()!
        let sum = block[4...].reduce(0) { $0 + Int(Int8(bitPattern: $1)) }
        XCTAssertEqual(block[0..<2].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }, Half.f32ToF16(amax / 127))
        XCTAssertEqual(block[2..<4].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) },
                       Half.f32ToF16(amax / 127 * Float(sum)))
        XCTAssertEqual(block[4...].map { abs(Int(Int8(bitPattern: $0))) }.max(), 127)
    }
}
