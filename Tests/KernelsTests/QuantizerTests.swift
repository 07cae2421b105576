// The file quantizers write the same bytes as ggml's quantize_row_*_ref (through gguf-py), and decode back close
// to their input.
import Kernels
import XCTest

final class QuantizerTests: XCTestCase {
    private var input: [Float] {
        let raw = bytes(hex: QuantizerFixtures.input)
        return raw.withUnsafeBytes { buffer in (0..<raw.count / 4).map { buffer.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }

    private func quantize(_ quantizer: any ReferenceQuantizer.Type, _ format: WeightFormat) -> [UInt8] {
        let x = input
        var out = [UInt8](repeating: 0xAA, count: format.rowBytes(columns: x.count))
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBytes { quantizer.quantizeReference(xs.baseAddress!, into: $0.baseAddress!, count: x.count) }
        }
        return out
    }

    func testQ8_0QuantizerMatchesGGUFPyByteForByte() {
        XCTAssertEqual(quantize(BlockQ8_0.self, .q8_0), bytes(hex: QuantizerFixtures.q8_0))
    }

    func testQ4_0QuantizerMatchesGGUFPyByteForByte() {
        XCTAssertEqual(quantize(BlockQ4_0.self, .q4_0), bytes(hex: QuantizerFixtures.q4_0))
    }

    func testQ4_1QuantizerMatchesGGUFPyByteForByte() {
        XCTAssertEqual(quantize(BlockQ4_1.self, .q4_1), bytes(hex: QuantizerFixtures.q4_1))
    }

    func testQ4_KQuantizerMatchesGGMLByteForByte() {
        let raw = bytes(hex: Q4KQuantizerFixtures.input)
        let x = raw.withUnsafeBytes { b in (0..<raw.count / 4).map { b.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        var out = [UInt8](repeating: 0xAA, count: WeightFormat.q4_K.rowBytes(columns: x.count))
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBytes { BlockQ4_K.quantizeReference(xs.baseAddress!, into: $0.baseAddress!, count: x.count) }
        }
        XCTAssertEqual(out, bytes(hex: Q4KQuantizerFixtures.q4_K))
    }

    func testQ4_KQuantizeThenDequantizeKeepsRelativeErrorSmall() {
        var rng = SeededGenerator(seed: 8)
        let x = randomFloats(1024, using: &rng)
        var q = [UInt8](repeating: 0, count: WeightFormat.q4_K.rowBytes(columns: 1024))
        var back = [Float](repeating: 0, count: 1024)
        x.withUnsafeBufferPointer { xs in
            q.withUnsafeMutableBytes { BlockQ4_K.quantizeReference(xs.baseAddress!, into: $0.baseAddress!, count: 1024) }
        }
        q.withUnsafeBytes { BlockQ4_K.dequantizeReference($0.baseAddress!, into: &back, count: 1024) }
        let error = zip(x, back).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let energy = x.reduce(Float(0)) { $0 + $1 * $1 }
        // 16 levels per sub-block: RMS error ≈ step/√12 ≈ 6% of a sub-block's range; well under 10% of the RMS.
        XCTAssertLessThan((error / energy).squareRoot(), 0.1)
    }

    func testQuantizeThenDequantizeStaysWithinHalfAStep() {
        var rng = SeededGenerator(seed: 7)
        let x = randomFloats(256, using: &rng)
        let cases: [(any ReferenceQuantizer.Type, any QuantizedBlock.Type, Float)] = [
            (BlockQ8_0.self, BlockQ8_0.self, 127), (BlockQ4_0.self, BlockQ4_0.self, 8), (BlockQ4_1.self, BlockQ4_1.self, 7.5),
        ]
        for (quantizer, block, steps) in cases {
            var q = [UInt8](repeating: 0, count: block.format.rowBytes(columns: 256))
            var back = [Float](repeating: 0, count: 256)
            x.withUnsafeBufferPointer { xs in
                q.withUnsafeMutableBytes { quantizer.quantizeReference(xs.baseAddress!, into: $0.baseAddress!, count: 256) }
            }
            q.withUnsafeBytes { block.dequantizeReference($0.baseAddress!, into: &back, count: 256) }
            for b in 0..<8 {
                let slice = x[(b * 32)..<(b * 32 + 32)]
                let range = block.format == .q4_1 ? slice.max()! - slice.min()! : slice.map(abs).max()!
                // Half a quantization step, plus f16 rounding of the scale (relative 2^-11 of the largest value);
                // Q4_0 clamps +8 steps to +7 on the side opposite its largest value, so a full step there.
                let step = range / steps * (block.format == .q4_0 ? 2 : 1)
                for j in (b * 32)..<(b * 32 + 32) {
                    XCTAssertEqual(back[j], x[j], accuracy: step * 0.5 + range * 0.001 + 1e-6,
                                   "\(block.format) element \(j)")
                }
            }
        }
    }
}
