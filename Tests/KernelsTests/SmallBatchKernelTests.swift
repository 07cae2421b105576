// Decoding's small-N products (SmallBatchKernels, 1...16 rows) give every row exactly the bits of the one-token
// packed kernels — the property that makes batched greedy decoding equal decoding alone, and decoding equal to the
// llama.cpp-order kernels the golden tests check.
import Kernels
import XCTest

final class SmallBatchKernelTests: XCTestCase {
    /// 45 rows: five full 8-row groups and a partial one; 96 and 1536 columns: short rows and the FFN's long ones.
    private let rows = 45

    /// y of `tokens` rows at once (small-batch kernels) and of each row alone through an engine without them (the
    /// one-token packed kernels), as bit patterns.
    private func products(_ format: WeightFormat, tokens: Int, columns: Int, threads: Int,
                          seed: UInt64) throws -> (batched: [UInt32], alone: [UInt32]) {
        var rng = SeededGenerator(seed: seed)
        let w = randomWeights(format, rows: rows, columns: columns, using: &rng)
        let x = randomFloats(tokens * columns, using: &rng)
        let engine = MatMulEngine(threads: threads)
        let oneToken = MatMulEngine(threads: threads, smallBatchKernels: false)
        var batched = [Float](repeating: .nan, count: tokens * rows), alone = batched
        try w.withUnsafeBytes { wp in
            let matrix = engine.pack(try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows,
                                                      columns: columns))
            engine.matmul(matrix, x, count: tokens, into: &batched)
            x.withUnsafeBufferPointer { xp in
                alone.withUnsafeMutableBufferPointer { yp in
                    for t in 0..<tokens {
                        oneToken.matmul(matrix, xp.baseAddress! + t * columns, count: 1,
                                        into: yp.baseAddress! + t * rows)
                    }
                }
            }
        }
        return (batched.map(\.bitPattern), alone.map(\.bitPattern))
    }

    func testEveryBatchSizeFromOneToSixteenGivesTheOneRowBitsForQ4_1() throws {
        for tokens in 1...16 {
            let (batched, alone) = try products(.q4_1, tokens: tokens, columns: 96, threads: 2, seed: UInt64(tokens))
            XCTAssertEqual(batched, alone, "\(tokens) rows")
        }
    }

    func testQ8_0AndQ4_0BatchesGiveTheOneRowBits() throws {
        for format in [WeightFormat.q8_0, .q4_0] {
            for tokens in [1, 2, 3, 5, 8, 13, 16] {
                let (batched, alone) = try products(format, tokens: tokens, columns: 96, threads: 2,
                                                    seed: 100 + UInt64(tokens))
                XCTAssertEqual(batched, alone, "\(format) \(tokens) rows")
            }
        }
    }

    func testLongRowsOnOneAndTwoThreadsGiveTheOneRowBits() throws {
        for threads in [1, 2] {
            let (batched, alone) = try products(.q4_1, tokens: 7, columns: 1536, threads: threads, seed: 7)
            XCTAssertEqual(batched, alone, "\(threads) threads")
        }
    }

    func testTheAVX512EngineUsesTheSmallBatchKernels() throws {
        let engine = MatMulEngine(threads: 1)
        guard engine.kernels.name == "avx512" else { throw XCTSkip("no AVX-512 VNNI on this CPU") }
        XCTAssertNotNil(engine.smallBatch?.entry(for: .q4_1))
        XCTAssertNotNil(engine.smallBatch?.entry(for: .q8_0))
        XCTAssertNil(engine.smallBatch?.entry(for: .q6_K), "K-quants run through the kernel set's tiled products")
    }


    func testProductsSharingTheirInputGiveTheBitsOfSeparateProducts() throws {
        var rng = SeededGenerator(seed: 33)
        let columns = 96, shapes = [45, 16, 24]
        let engine = MatMulEngine(threads: 2)
        let weights = shapes.map { randomWeights(.q4_1, rows: $0, columns: columns, using: &rng) }
        for tokens in [1, 3, 16, 20] {
            let x = randomFloats(tokens * columns, using: &rng)
            var separate = shapes.map { [Float](repeating: .nan, count: tokens * $0) }
            var y0 = separate[0], y1 = separate[1], y2 = separate[2]
            try weights[0].withUnsafeBytes { w0 in
                try weights[1].withUnsafeBytes { w1 in
                    try weights[2].withUnsafeBytes { w2 in
                        let m = try zip([w0, w1, w2], shapes).map { wp, rows in
                            engine.pack(try WeightMatrix(base: wp.baseAddress!, format: .q4_1, rows: rows,
                                                         columns: columns))
                        }
                        for i in 0..<3 { engine.matmul(m[i], x, count: tokens, into: &separate[i]) }
                        y0.withUnsafeMutableBufferPointer { p0 in
                            y1.withUnsafeMutableBufferPointer { p1 in
                                y2.withUnsafeMutableBufferPointer { p2 in
                                    engine.matmul(sharing: x, count: tokens, (m[0], p0.baseAddress!),
                                                  (m[1], p1.baseAddress!), (m[2], p2.baseAddress!))
                                }
                            }
                        }
                    }
                }
            }
            for (i, shared) in [y0, y1, y2].enumerated() {
                XCTAssertEqual(shared.map(\.bitPattern), separate[i].map(\.bitPattern), "\(tokens) rows, matrix \(i)")
            }
        }
    }
}
