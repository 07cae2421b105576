// Batched decoding's small-N products (SmallBatchKernels, 2...16 rows) give every row exactly the bits of the
// one-row product — the property that makes batched greedy decoding equal decoding alone.
import Kernels
import XCTest

final class SmallBatchKernelTests: XCTestCase {
    /// 45 rows: five full 8-row groups and a partial one; 96 and 1536 columns: short rows and the FFN's long ones.
    private let rows = 45

    /// y of `tokens` rows at once and of each row alone through the same engine, as bit patterns.
    private func products(_ format: WeightFormat, tokens: Int, columns: Int, threads: Int,
                          seed: UInt64) throws -> (batched: [UInt32], alone: [UInt32]) {
        var rng = SeededGenerator(seed: seed)
        let w = randomWeights(format, rows: rows, columns: columns, using: &rng)
        let x = randomFloats(tokens * columns, using: &rng)
        let engine = MatMulEngine(threads: threads)
        var batched = [Float](repeating: .nan, count: tokens * rows), alone = batched
        try w.withUnsafeBytes { wp in
            let matrix = engine.pack(try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows,
                                                      columns: columns))
            engine.matmul(matrix, x, count: tokens, into: &batched)
            x.withUnsafeBufferPointer { xp in
                alone.withUnsafeMutableBufferPointer { yp in
                    for t in 0..<tokens {
                        engine.matmul(matrix, xp.baseAddress! + t * columns, count: 1, into: yp.baseAddress! + t * rows)
                    }
                }
            }
        }
        return (batched.map(\.bitPattern), alone.map(\.bitPattern))
    }

    func testEveryBatchSizeFromTwoToSixteenGivesTheOneRowBitsForQ4_1() throws {
        for tokens in 2...16 {
            let (batched, alone) = try products(.q4_1, tokens: tokens, columns: 96, threads: 2, seed: UInt64(tokens))
            XCTAssertEqual(batched, alone, "\(tokens) rows")
        }
    }

    func testQ8_0AndQ4_0BatchesGiveTheOneRowBits() throws {
        for format in [WeightFormat.q8_0, .q4_0] {
            for tokens in [2, 3, 5, 8, 13, 16] {
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
}
