// Every kernel set, packed or not, agrees with the scalar reference on the real default model's weights with
// realistic activations (embedding rows of real tokens).
import Kernels
import TestSupport
import XCTest

final class RealModelKernelTests: XCTestCase {
    func testEveryKernelSetMatchesTheReferenceOnRealModelTensors() throws {
        let model = try RealModelTensors(path: try TestResources.requireDefaultModel())
        try model.data.withUnsafeBytes { file in
            func matrix(_ name: String, rows: Int? = nil) throws -> WeightMatrix {
                let tensor = try XCTUnwrap(model.tensors[name], name)
                let format = try XCTUnwrap(WeightFormat(ggmlType: tensor.type))
                return try WeightMatrix(base: file.baseAddress! + model.dataStart + tensor.offset, format: format,
                                        rows: rows ?? tensor.dims[1], columns: tensor.dims[0])
            }
            let embeddings = try matrix("token_embd.weight")
            XCTAssertEqual(embeddings.format, .q8_0)
            // Activations: embedding rows of a few real token ids, decoded by the reference.
            let tokens = [1, 504, 2683, 28, 4798, 30, 49151]
            let reference = MatMulEngine(threads: 1, kernels: .reference)
            var x = [Float](repeating: 0, count: tokens.count * 1536)
            for (t, id) in tokens.enumerated() {
                x.withUnsafeMutableBufferPointer { reference.dequantizeRow(embeddings, row: id, into: $0.baseAddress! + t * 576) }
            }
            // ffn_down takes 1536 columns: tile the embedding activations three times.
            var wide = [Float](repeating: 0, count: tokens.count * 1536)
            for t in 0..<tokens.count { for k in 0..<1536 { wide[t * 1536 + k] = x[t * 576 + k % 576] } }
            let cases: [(WeightMatrix, [Float])] = [
                (try matrix("blk.0.attn_q.weight"), x), (try matrix("blk.7.attn_k.weight"), x),
                (try matrix("blk.29.ffn_down.weight"), wide), (try matrix("token_embd.weight", rows: 200), x),
            ]
            for (w, input) in cases {
                var expected = [Float](repeating: .nan, count: tokens.count * w.rows)
                reference.matmul(w, input, count: tokens.count, into: &expected)
                for set in KernelSet.available {
                    let engine = MatMulEngine(threads: 2, kernels: set)
                    for matrix in [w, engine.pack(w)] {
                        for n in [1, tokens.count] {
                            var y = [Float](repeating: .nan, count: n * w.rows)
                            engine.matmul(matrix, input, count: n, into: &y)
                            for i in 0..<(n * w.rows) {
                                // Reassociation bound with magnitude Σ|w·a| ≤ 64 · |y| for these rows.
                                XCTAssertEqual(y[i], expected[i], accuracy: 1e-5 * max(1, abs(expected[i])) * 8,
                                               "\(set.name) packed=\(matrix.isPacked) \(w.format) n=\(n) index \(i)")
                            }
                        }
                    }
                }
            }
        }
    }
}
