// The engine's decode (n = 1) and tiled prefill (n = 7) products equal the reference dot of every row and token.
import Kernels
import XCTest

final class MatMulEngineTests: XCTestCase {
    /// 37 rows: not a multiple of the 4-row tile, so edge tiles run too.
    private let rows = 37

    private func checkMatmul(tokens: Int, threads: Int, kernels: KernelSet, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for format in implementedFormats {
            let columns = format.blockSize == 1 ? 200 : 192
            let w = randomWeights(format, rows: rows, columns: columns, using: &rng)
            let (x, converted) = randomActivations(for: format, tokens: tokens, columns: columns, using: &rng)
            let engine = MatMulEngine(threads: threads, kernels: kernels)
            var y = [Float](repeating: .nan, count: tokens * rows)
            try w.withUnsafeBytes { wp in
                let matrix = try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows, columns: columns)
                engine.matmul(matrix, x, count: tokens, into: &y)
                converted.withUnsafeBytes { ap in
                    let aStride = format.activationFormat.rowBytes(columns: columns)
                    for t in 0..<tokens {
                        for r in 0..<rows {
                            let wr = wp.baseAddress! + r * matrix.rowBytes, ar = ap.baseAddress! + t * aStride
                            let expected = KernelSet.reference.dot(format, count: columns, wr, ar)
                            let tolerance = reassociationTolerance(
                                count: columns, magnitude: dotMagnitude(format, wr, ar, count: columns))
                            XCTAssertEqual(y[t * rows + r], expected, accuracy: tolerance,
                                           "\(kernels.name) \(format) token \(t) row \(r)")
                        }
                    }
                }
            }
        }
    }

    func testDecodeProductMatchesReferenceOnEveryKernelSet() throws {
        for set in KernelSet.available { try checkMatmul(tokens: 1, threads: 2, kernels: set, seed: 10) }
    }

    func testPrefillProductOfSevenTokensMatchesReferenceOnEveryKernelSet() throws {
        for set in KernelSet.available { try checkMatmul(tokens: 7, threads: 2, kernels: set, seed: 11) }
    }

    func testSingleThreadedEngineGivesTheSameProduct() throws {
        try checkMatmul(tokens: 5, threads: 1, kernels: .best, seed: 12)
    }

    func testPrefillLongerThanOneTokenTileMatchesDecodeRowByRow() throws {
        var rng = SeededGenerator(seed: 13)
        let columns = 128, tokens = 70
        let w = randomWeights(.q4_1, rows: rows, columns: columns, using: &rng)
        let x = randomFloats(tokens * columns, using: &rng)
        let engine = MatMulEngine(threads: 2)
        var batched = [Float](repeating: .nan, count: tokens * rows)
        var single = [Float](repeating: .nan, count: rows)
        try w.withUnsafeBytes { wp in
            let matrix = try WeightMatrix(base: wp.baseAddress!, format: .q4_1, rows: rows, columns: columns)
            engine.matmul(matrix, x, count: tokens, into: &batched)
            for t in [0, 63, 64, 69] {
                x.withUnsafeBufferPointer { engine.matmul(matrix, $0.baseAddress! + t * columns, count: 1, into: &single) }
                for r in 0..<rows {
                    XCTAssertEqual(batched[t * rows + r], single[r], accuracy: 1e-4 * max(1, abs(single[r])))
                }
            }
        }
    }
}
