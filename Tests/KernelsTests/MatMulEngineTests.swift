// The engine's decode (n = 1) and tiled prefill (n = 7) products equal the reference dot of every row and token.
import Kernels
import XCTest

final class MatMulEngineTests: XCTestCase {
    /// 37 rows: not a multiple of the 4-row tile, so edge tiles run too.
    private let rows = 37

    private func checkMatmul(tokens: Int, threads: Int, kernels: KernelSet, seed: UInt64, packed: Bool = false) throws {
        var rng = SeededGenerator(seed: seed)
        for format in implementedFormats {
            let columns = format.blockSize == 1 ? 200 : format.blockSize == 32 ? 192 : 512
            let w = randomWeights(format, rows: rows, columns: columns, using: &rng)
            let (x, converted) = randomActivations(for: format, tokens: tokens, columns: columns, using: &rng)
            let engine = MatMulEngine(threads: threads, kernels: kernels)
            var y = [Float](repeating: .nan, count: tokens * rows)
            try w.withUnsafeBytes { wp in
                let matrix = try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows, columns: columns)
                engine.matmul(packed ? engine.pack(matrix) : matrix, x, count: tokens, into: &y)
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

    func testPackedDecodeProductMatchesReferenceOnEveryKernelSet() throws {
        for set in KernelSet.available { try checkMatmul(tokens: 1, threads: 2, kernels: set, seed: 14, packed: true) }
    }

    func testPackedPrefillProductOfSevenTokensMatchesReferenceOnEveryKernelSet() throws {
        for set in KernelSet.available { try checkMatmul(tokens: 7, threads: 2, kernels: set, seed: 15, packed: true) }
    }

    /// `prepare` moves every matrix into one arena (repacked where the kernels pack, copied otherwise) without
    /// changing a single product bit against `pack`, and the copies stay valid after the originals' memory is gone.
    func testPreparedMatricesGiveTheSameProductsAsTheOriginals() throws {
        var rng = SeededGenerator(seed: 17)
        let engine = MatMulEngine(threads: 2)
        for format in implementedFormats {
            let columns = format.blockSize == 1 ? 200 : format.blockSize == 32 ? 192 : 512
            let x = randomFloats(5 * columns, using: &rng)
            var expected = [Float](repeating: .nan, count: 5 * rows), got = expected
            var bytes = randomWeights(format, rows: rows, columns: columns, using: &rng)
            let prepared: [WeightMatrix] = try bytes.withUnsafeBytes { wp in
                let matrix = try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows, columns: columns)
                engine.matmul(engine.pack(matrix), x, count: 5, into: &expected)
                return engine.prepare([matrix, matrix])
            }
            // Copied or repacked matrices no longer read the original bytes (unpacked ones stay in place without
            // huge pages).
            if WeightArena.hugePagesAvailable || engine.kernels.packs(format) {
                bytes = [UInt8](repeating: 0xff, count: bytes.count)
            }
            XCTAssertEqual(prepared[0].isPacked, engine.kernels.packs(format), "\(format)")
            for m in prepared {
                engine.matmul(m, x, count: 5, into: &got)
                XCTAssertEqual(got, expected, "\(engine.kernels.name) \(format)")
            }
        }
    }

    /// Two or three matrices sharing an input in one job give the bits of separate products: decode and prefill
    /// (40 tokens: a partial token tile), plain and packed, and mixed formats (run one by one).
    func testSharedInputProductsEqualSeparateProducts() throws {
        var rng = SeededGenerator(seed: 18)
        let engine = MatMulEngine(threads: 2)
        let columns = 256
        for formats in [[WeightFormat.q4_1, .q4_1, .q4_1], [.f16, .f16, .f16], [.q6_K, .q6_K], [.q8_0, .q4_0, .q8_0]] {
            let heights = [rows, 24, 64]
            let bytes = formats.indices.map { randomWeights(formats[$0], rows: heights[$0], columns: columns, using: &rng) }
            for tokens in [1, 40] {
                let x = randomFloats(tokens * columns, using: &rng)
                var separate = heights.map { [Float](repeating: .nan, count: tokens * $0) }
                var s0 = separate[0], s1 = separate[1], s2 = separate[2]
                try bytes[0].withUnsafeBytes { b0 in
                    try bytes[1].withUnsafeBytes { b1 in
                        let bases = [b0.baseAddress!, b1.baseAddress!]
                        var matrices = try (0..<2).map {
                            try WeightMatrix(base: bases[$0], format: formats[$0], rows: heights[$0], columns: columns)
                        }
                        let third = formats.count == 3 ? bytes[2] : []
                        try third.withUnsafeBytes { b2 in
                            if formats.count == 3, let base = b2.baseAddress {
                                matrices.append(try WeightMatrix(base: base, format: formats[2], rows: heights[2],
                                                                 columns: columns))
                            }
                            matrices = engine.prepare(matrices)
                            for i in matrices.indices { engine.matmul(matrices[i], x, count: tokens, into: &separate[i]) }
                            s0.withUnsafeMutableBufferPointer { y0 in
                                s1.withUnsafeMutableBufferPointer { y1 in
                                    s2.withUnsafeMutableBufferPointer { y2 in
                                        engine.matmul(matrices[0], matrices[1], matrices.count == 3 ? matrices[2] : nil,
                                                      sharing: x, count: tokens, into: y0.baseAddress!, y1.baseAddress!,
                                                      matrices.count == 3 ? y2.baseAddress! : nil)
                                    }
                                }
                            }
                        }
                    }
                }
                let shared = [s0, s1, s2]
                for i in formats.indices {
                    XCTAssertEqual(shared[i], separate[i], "\(formats) matrix \(i) tokens \(tokens)")
                }
            }
        }
    }

    func testPackedMatrixOnAnEngineWithoutPackedKernelsStillMultipliesCorrectly() throws {
        var rng = SeededGenerator(seed: 16)
        let columns = 64
        let w = randomWeights(.q4_1, rows: rows, columns: columns, using: &rng)
        let x = randomFloats(3 * columns, using: &rng)
        let fast = MatMulEngine(threads: 2), reference = MatMulEngine(threads: 1, kernels: .reference)
        var packedResult = [Float](repeating: .nan, count: 3 * rows), plain = packedResult
        try w.withUnsafeBytes { wp in
            let matrix = try WeightMatrix(base: wp.baseAddress!, format: .q4_1, rows: rows, columns: columns)
            reference.matmul(fast.pack(matrix), x, count: 3, into: &packedResult)
            reference.matmul(matrix, x, count: 3, into: &plain)
        }
        XCTAssertEqual(packedResult, plain)
    }

    func testDequantizeRowReadsPackedMatricesLikeTheOriginal() throws {
        var rng = SeededGenerator(seed: 17)
        let engine = MatMulEngine(threads: 1)
        for format in [WeightFormat.q4_0, .q4_1, .q5_0, .q5_1, .q8_0] {
            let w = randomWeights(format, rows: rows, columns: 96, using: &rng)
            try w.withUnsafeBytes { wp in
                let matrix = try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows, columns: 96)
                let packed = WeightPackerProbe.pack(matrix, engine: engine)
                for row in [0, 7, 8, 36] {
                    var a = [Float](repeating: 0, count: 96), b = a
                    engine.dequantizeRow(matrix, row: row, into: &a)
                    engine.dequantizeRow(packed, row: row, into: &b)
                    XCTAssertEqual(a, b, "\(format) row \(row)")
                }
            }
        }
    }

    func testIntegerProductsOfEveryKernelSetPackedOrNotEqualTheReferenceExactly() throws {
        // Integer activations whose every block holds ±127 quantize with scale exactly 1 (Q8_K: −1), and unit-scale
        // weights make every product an exact integer: any difference is a bug in the integer parts.
        var rng = SeededGenerator(seed: 18)
        for format in implementedFormats {
            let columns = format.blockSize == 256 ? 512 : 256, tokens = 5
            let w = randomWeights(format, rows: rows, columns: columns, unitScales: true, using: &rng)
            var x = (0..<tokens * columns).map { _ in Float(Int.random(in: -127...127, using: &rng)) }
            for block in stride(from: 0, to: x.count, by: 32) { x[block + 3] = 127 }
            if format.blockSize == 1 { x = x.map { ($0 / 16).rounded() } }  // exact in f16/bf16 products
            let reference = MatMulEngine(threads: 1, kernels: .reference)
            try w.withUnsafeBytes { wp in
                let matrix = try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows, columns: columns)
                var expected = [Float](repeating: .nan, count: tokens * rows)
                reference.matmul(matrix, x, count: tokens, into: &expected)
                XCTAssertEqual(expected, expected.map { $0.rounded() }, "\(format) reference is not integral")
                for set in KernelSet.available {
                    let engine = MatMulEngine(threads: 2, kernels: set)
                    for m in [matrix, engine.pack(matrix)] {
                        for n in [1, tokens] {
                            var y = [Float](repeating: .nan, count: n * rows)
                            engine.matmul(m, x, count: n, into: &y)
                            XCTAssertEqual(y, Array(expected[0..<(n * rows)]), "\(set.name) \(format) packed=\(m.isPacked) n=\(n)")
                        }
                    }
                }
            }
        }
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

/// Packs with the engine when its kernels pack, otherwise checks that packing was declined.
enum WeightPackerProbe {
    static func pack(_ w: WeightMatrix, engine: MatMulEngine) -> WeightMatrix {
        let packed = engine.pack(w)
        XCTAssertEqual(packed.isPacked, engine.kernels.packs(w.format))
        return packed
    }
}
