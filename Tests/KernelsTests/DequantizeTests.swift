// Decoding hand-built blocks gives the values ggml-common.h's layouts define.
import Kernels
import XCTest

final class DequantizeTests: XCTestCase {
    private func decode(_ format: WeightFormat, _ block: [UInt8], count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        block.withUnsafeBytes { _ = Dequantizer.decode(format, $0.baseAddress!, into: &out, count: count) }
        return out
    }

    func testQ4_0LowNibblesAreFirstHalfAndValuesAreOffsetByEight() {
        // d = 0.5 (0x3800); byte j = (hi: 15, lo: j % 16).
        var block: [UInt8] = [0x00, 0x38]
        for j in 0..<16 { block.append(UInt8(0xF0 | j)) }
        let values = decode(.q4_0, block, count: 32)
        for j in 0..<16 {
            XCTAssertEqual(values[j], Float(j - 8) * 0.5)
            XCTAssertEqual(values[16 + j], 3.5)
        }
    }

    func testQ4_1AddsTheMinimum() {
        // d = 2 (0x4000), m = -1 (0xbc00); every byte 0x21 → lo 1, hi 2.
        let block: [UInt8] = [0x00, 0x40, 0x00, 0xbc] + [UInt8](repeating: 0x21, count: 16)
        let values = decode(.q4_1, block, count: 32)
        XCTAssertEqual(Array(values[0..<16]), [Float](repeating: 1, count: 16))
        XCTAssertEqual(Array(values[16..<32]), [Float](repeating: 3, count: 16))
    }

    func testQ8_0ScalesSignedBytes() {
        // d = 0.25 (0x3400); qs = -128, -1, 0, 1, 127, ...
        let qs: [Int8] = [-128, -1, 0, 1, 127] + [Int8](repeating: 4, count: 27)
        let block: [UInt8] = [0x00, 0x34] + qs.map { UInt8(bitPattern: $0) }
        let values = decode(.q8_0, block, count: 32)
        XCTAssertEqual(Array(values[0..<6]), [-32, -0.25, 0, 0.25, 31.75, 1])
    }

    func testF16AndBF16RowsWiden() {
        XCTAssertEqual(decode(.f16, [0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00], count: 3), [1, -2, 0.000_000_059_604_645])
        XCTAssertEqual(decode(.bf16, [0x80, 0x3f, 0x40, 0xc0], count: 2), [1, -3])
    }

    func testFiveBitAndKQuantBlocksDecodeLikeGGUFPy() {
        let cases: [(WeightFormat, (blocks: String, values: String))] = [
            (.q5_0, DequantizeFixtures.q5_0), (.q5_1, DequantizeFixtures.q5_1), (.q2_K, DequantizeFixtures.q2_K),
            (.q3_K, DequantizeFixtures.q3_K), (.q4_K, DequantizeFixtures.q4_K), (.q5_K, DequantizeFixtures.q5_K),
            (.q6_K, DequantizeFixtures.q6_K),
        ]
        for (format, fixture) in cases {
            let raw = bytes(hex: fixture.values)
            let expected = raw.withUnsafeBytes { b in (0..<512).map { b.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
            let got = decode(format, bytes(hex: fixture.blocks), count: 512)
            for i in 0..<512 {
                // numpy may multiply the same factors in another order: allow one rounding of the largest term.
                XCTAssertEqual(got[i], expected[i], accuracy: abs(expected[i]) * 2.4e-7 + 1e-9, "\(format) element \(i)")
            }
        }
    }

    func testDequantizeRowOutsideTheMatrixGivesZeros() throws {
        let block: [UInt8] = [0x00, 0x40, 0x00, 0xbc] + [UInt8](repeating: 0x21, count: 16)
        let engine = MatMulEngine(threads: 1)
        var out = [Float](repeating: .nan, count: 32)
        try block.withUnsafeBytes { raw in
            let w = try WeightMatrix(base: raw.baseAddress!, format: .q4_1, rows: 1, columns: 32)
            engine.dequantizeRow(w, row: 1, into: &out)
            XCTAssertEqual(out, [Float](repeating: 0, count: 32))
            engine.dequantizeRow(w, row: 0, into: &out)
            XCTAssertEqual(out[31], 3)
        }
    }
}
