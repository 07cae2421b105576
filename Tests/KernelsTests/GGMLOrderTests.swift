// The default model's formats (Q4_1 weights × Q8_1 activations, Q8_0 × Q8_0) multiply in ggml-cpu's x86 order on
// every kernel set, packed or not, decode or prefill: results equal the reference to the bit, not within a bound.
import Kernels
import XCTest

final class GGMLOrderTests: XCTestCase {
    /// 37 rows (a partial 8-row group), 576 columns (the model's width), random realistic scales.
    func testQ4_1AndQ8_0ProductsEqualTheReferenceBitForBitOnEveryKernelSet() throws {
        var rng = SeededGenerator(seed: 41)
        let rows = 37, columns = 576
        for format in [WeightFormat.q4_1, .q8_0] {
            let w = randomWeights(format, rows: rows, columns: columns, using: &rng)
            for tokens in [1, 6] {
                let (x, _) = randomActivations(for: format, tokens: tokens, columns: columns, using: &rng)
                try w.withUnsafeBytes { wp in
                    let matrix = try WeightMatrix(base: wp.baseAddress!, format: format, rows: rows, columns: columns)
                    var expected = [Float](repeating: .nan, count: tokens * rows)
                    MatMulEngine(threads: 1, kernels: .reference).matmul(matrix, x, count: tokens, into: &expected)
                    for set in KernelSet.available {
                        let engine = MatMulEngine(threads: 2, kernels: set)
                        for m in [matrix, engine.pack(matrix)] {
                            var y = [Float](repeating: .nan, count: tokens * rows)
                            engine.matmul(m, x, count: tokens, into: &y)
                            let same = zip(y, expected).allSatisfy { $0.bitPattern == $1.bitPattern }
                            XCTAssertTrue(same, "\(set.name) \(format) packed=\(m.isPacked) tokens=\(tokens)")
                        }
                    }
                }
            }
        }
    }

    /// The reference itself follows ggml's lanes, shown by a sum whose rounding depends on the order. Block 0
    /// (scales 32 · 32) puts +64516 · 1024 in lane 0 and −64516 · 1024 in lane 1; block 1 (scales 1) puts 1 in
    /// lane 4. ggml adds lane 4 to lane 0 first, where the 1 is below half an ulp (4) and vanishes: the result
    /// is 0. Summing block by block, as ggml's generic kernel does, would give 1.
    func testQ8_0ReferenceAddsLaneFourToLaneZeroFirstAsGGMLDoes() {
        var w = [UInt8](repeating: 0, count: 68), a = [UInt8](repeating: 0, count: 68)
        func put(_ block: inout [UInt8], _ index: Int, _ value: Int8) {
            block[34 * (index / 32) + 2 + index % 32] = UInt8(bitPattern: value)
        }
        for v in [0, 34] { w[v + 1] = v == 0 ? 0x50 : 0x3c; a[v + 1] = w[v + 1] }  // f16 32.0, then 1.0
        for k in 0..<4 { put(&w, k, 127); put(&a, k, 127); put(&w, 4 + k, -127); put(&a, 4 + k, 127) }
        put(&w, 32 + 16, 1); put(&a, 32 + 16, 1)
        let got = w.withUnsafeBytes { wp in
            a.withUnsafeBytes { ap in BlockQ8_0.dotReference(count: 64, wp.baseAddress!, ap.baseAddress!) }
        }
        XCTAssertEqual(got, 0)
    }
}
