// KV-cache rows: stored rows decode to the inputs' format rounding, scores equal the reference dot of the
// converted query, and value accumulation equals float math on the decoded rows.
import Kernels
import XCTest

final class KVRowsTests: XCTestCase {
    private let columns = 64, positions = 9

    private func cache(_ format: KVRowFormat, _ kv: KVRows, _ x: [Float]) -> [UInt8] {
        let rowBytes = format.rowBytes(columns: columns)
        var rows = [UInt8](repeating: 0, count: positions * rowBytes)
        x.withUnsafeBufferPointer { xs in
            rows.withUnsafeMutableBytes { out in
                for j in 0..<positions {
                    kv.store(xs.baseAddress! + j * columns, columns: columns, as: format, into: out.baseAddress! + j * rowBytes)
                }
            }
        }
        return rows
    }

    func testStoredF16RowsDecodeToTheRoundedInputs() {
        var rng = SeededGenerator(seed: 30)
        let x = randomFloats(positions * columns, using: &rng)
        let rows = cache(.f16, KVRows(), x)
        var back = [Float](repeating: 0, count: x.count)
        rows.withUnsafeBytes { _ = Dequantizer.decode(.f16, $0.baseAddress!, into: &back, count: x.count) }
        XCTAssertEqual(back, x.map { Half.f16ToF32(Half.f32ToF16($0)) })
    }

    func testScoresEqualTheReferenceDotOfTheConvertedQuery() {
        var rng = SeededGenerator(seed: 31)
        let keys = randomFloats(positions * columns, using: &rng), q = randomFloats(columns, using: &rng)
        for set in KernelSet.available {
            let kv = KVRows(kernels: set)
            for format in [KVRowFormat.f16, .q8_0] {
                let rows = cache(format, kv, keys)
                let rowBytes = format.rowBytes(columns: columns)
                var scores = [Float](repeating: .nan, count: positions)
                var scratch = [UInt8](repeating: 0, count: rowBytes)
                rows.withUnsafeBytes { r in
                    scratch.withUnsafeMutableBytes { s in
                        kv.scores(query: q, keys: r.baseAddress!, stride: rowBytes, count: positions, columns: columns,
                                  format: format, scratch: s.baseAddress!, into: &scores)
                        for j in 0..<positions {
                            let key = r.baseAddress! + j * rowBytes
                            let expected = KernelSet.reference.dot(format.weightFormat, count: columns, key, s.baseAddress!)
                            let tolerance = reassociationTolerance(
                                count: columns, magnitude: dotMagnitude(format.weightFormat, key, s.baseAddress!, count: columns))
                            XCTAssertEqual(scores[j], expected, accuracy: tolerance, "\(set.name) \(format) key \(j)")
                        }
                    }
                }
            }
        }
    }

    func testAccumulatedValuesEqualFloatMathOnDecodedRows() {
        var rng = SeededGenerator(seed: 32)
        let values = randomFloats(positions * columns, using: &rng)
        let p = (0..<positions).map { _ in Float.random(in: 0...1, using: &rng) }
        for set in KernelSet.available {
            let kv = KVRows(kernels: set)
            for format in [KVRowFormat.f16, .q8_0] {
                let rows = cache(format, kv, values)
                let rowBytes = format.rowBytes(columns: columns)
                var decoded = [Float](repeating: 0, count: values.count)
                rows.withUnsafeBytes { _ = Dequantizer.decode(format.weightFormat, $0.baseAddress!, into: &decoded, count: values.count) }
                var out = [Float](repeating: 0.5, count: columns)
                rows.withUnsafeBytes {
                    kv.accumulate(weights: p, values: $0.baseAddress!, stride: rowBytes, count: positions, columns: columns,
                                  format: format, into: &out)
                }
                for i in 0..<columns {
                    var expected: Float = 0.5, magnitude: Float = 0.5
                    for j in 0..<positions {
                        expected += p[j] * decoded[j * columns + i]
                        magnitude += abs(p[j] * decoded[j * columns + i])
                    }
                    // Q8_0 multiplies p·d first, then by q: one extra rounding per term.
                    XCTAssertEqual(out[i], expected, accuracy: 4 * Float(positions) * Float.ulpOfOne * magnitude,
                                   "\(set.name) \(format) column \(i)")
                }
            }
        }
    }
}
