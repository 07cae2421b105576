// Every FloatOps table (the C paths per ISA) computes the same bits as the Swift reference, on inputs that reach
// the edge cases: exps that overflow, underflow to subnormals or flush, rows that are not whole 16-lane chunks.
import Foundation
import Kernels
import XCTest

final class FloatOpsTests: XCTestCase {
    private func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

    func testGGMLExpIsCloseToExpAndExactAtZero() {
        XCTAssertEqual(FloatOps.ggmlExp(0), 1)
        for x in stride(from: Float(-80), through: 80, by: 0.37) {
            let e = FloatOps.ggmlExp(x), want = Float(Foundation.exp(Double(x)))
            XCTAssertEqual(e, want, accuracy: want.ulp * 3, "exp(\(x))")
        }
        XCTAssertEqual(FloatOps.ggmlExp(-200), 0)
        XCTAssertEqual(FloatOps.ggmlExp(200), .infinity)
        XCTAssertTrue(FloatOps.ggmlExp(-100).isSubnormal)
    }

    func testSwigluOfEveryTableEqualsTheReferenceBitForBit() {
        var rng = SeededGenerator(seed: 7)
        for n in [16, 1536, 45] {
            var x = randomFloats(n, scale: 8, using: &rng), g = randomFloats(n, using: &rng)
            if n >= 16 { x[0] = 95; x[1] = -95; x[2] = 150; x[3] = -150; x[4] = 0; x[5] = -0.0 }
            var expected = [Float](repeating: .nan, count: n)
            FloatOps.reference.swiglu(&expected, x, g, n)
            for ops in [FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
                var y = [Float](repeating: .nan, count: n)
                ops.swiglu(&y, x, g, n)
                XCTAssertEqual(bits(y), bits(expected), "\(ops.name) n=\(n)")
            }
        }
    }

    func testSoftmaxOfEveryTableEqualsTheReferenceBitForBit() {
        var rng = SeededGenerator(seed: 8)
        for n in [1, 15, 16, 37, 300] {
            var x = randomFloats(n, scale: 6, using: &rng)
            if n > 3 { x[1] = x[0] - 100; x[2] = x[0] - 150 }  // subnormal and flushed exps
            var expected = x
            FloatOps.reference.softmax(&expected, n)
            XCTAssertEqual(Double(expected.reduce(0, +)), 1, accuracy: 1e-5)
            for ops in [FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
                var y = x
                ops.softmax(&y, n)
                XCTAssertEqual(bits(y), bits(expected), "\(ops.name) n=\(n)")
            }
        }
    }

    func testAttentionProductsOfEveryTableEqualTheReferenceBitForBit() {
        var rng = SeededGenerator(seed: 9)
        let dims = 64, count = 150, stride = 192
        func halves(_ n: Int) -> [Float] {
            var v = randomFloats(n, using: &rng)
            FloatOps.reference.roundToHalf(&v, n)
            return v
        }
        let q = halves(dims), keys = halves(count * stride), values = halves(count * stride)
        var p = randomFloats(count, using: &rng).map { abs($0) / 3 }
        FloatOps.reference.roundToHalf(&p, count)
        for batch in [false, true] {
            let lanes = FloatOps.valueLanes(batch: batch)
            func run(_ ops: FloatOps) -> (scores: [Float], out: [Float]) {
                var scores = [Float](repeating: .nan, count: count)
                ops.scores(q, keys, stride, count, dims, batch, &scores)
                var acc = [Float](repeating: 0, count: lanes * dims)
                // Two runs of positions, as the cache's blocks hand them over.
                ops.accumulate(&acc, lanes, 0, values, stride, p, 70, dims)
                values.withUnsafeBufferPointer { v in
                    p.withUnsafeBufferPointer { pp in
                        ops.accumulate(&acc, lanes, 70, v.baseAddress! + 70 * stride, stride, pp.baseAddress! + 70,
                                       count - 70, dims)
                    }
                }
                var out = [Float](repeating: .nan, count: dims)
                ops.laneReduce(acc, lanes, dims, &out)
                return (scores, out)
            }
            let expected = run(.reference)
            for ops in [FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
                let got = run(ops)
                XCTAssertEqual(bits(got.scores), bits(expected.scores), "\(ops.name) scores batch=\(batch)")
                XCTAssertEqual(bits(got.out), bits(expected.out), "\(ops.name) values batch=\(batch)")
            }
        }
    }

    /// The positions handed over as the cache's 32-position blocks do (the register-blocked paths: 16 keys and
    /// 16 lanes at a time), with a partial last block, at the model's head size and at twice it.
    func testAttentionProductsOverCacheBlocksOfEveryTableEqualTheReferenceBitForBit() {
        var rng = SeededGenerator(seed: 10)
        for dims in [64, 128] {
            let count = 150, rowStride = 3 * dims, block = 32
            func halves(_ n: Int) -> [Float] {
                var v = randomFloats(n, using: &rng)
                FloatOps.reference.roundToHalf(&v, n)
                return v
            }
            let q = halves(dims), keys = halves(count * rowStride), values = halves(count * rowStride)
            var p = randomFloats(count, using: &rng).map { abs($0) / 3 }
            FloatOps.reference.roundToHalf(&p, count)
            for batch in [false, true] {
                let lanes = FloatOps.valueLanes(batch: batch)
                func run(_ ops: FloatOps) -> (scores: [Float], out: [Float]) {
                    var scores = [Float](repeating: .nan, count: count)
                    var acc = [Float](repeating: 0, count: lanes * dims)
                    keys.withUnsafeBufferPointer { k in
                        values.withUnsafeBufferPointer { v in
                            p.withUnsafeBufferPointer { pp in
                                scores.withUnsafeMutableBufferPointer { out in
                                    for t in stride(from: 0, to: count, by: block) {
                                        let n = min(block, count - t)
                                        ops.scores(q, k.baseAddress! + t * rowStride, rowStride, n, dims, batch,
                                                   out.baseAddress! + t)
                                        ops.accumulate(&acc, lanes, t, v.baseAddress! + t * rowStride, rowStride,
                                                       pp.baseAddress! + t, n, dims)
                                    }
                                }
                            }
                        }
                    }
                    var out = [Float](repeating: .nan, count: dims)
                    ops.laneReduce(acc, lanes, dims, &out)
                    return (scores, out)
                }
                let expected = run(.reference)
                for ops in [FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
                    let got = run(ops)
                    XCTAssertEqual(bits(got.scores), bits(expected.scores), "\(ops.name) dims=\(dims) scores batch=\(batch)")
                    XCTAssertEqual(bits(got.out), bits(expected.out), "\(ops.name) dims=\(dims) values batch=\(batch)")
                }
            }
        }
    }

    /// The fused attention of a group of heads (C paths: register-held lanes shared by the heads) against the same
    /// operations composed block by block, head by head: groups of 1-5 heads, head sizes 32 (no fused path), 64 and
    /// 128, both orders, with and without F16 rounding, positions in 32-blocks with a partial last one. The F16-cache
    /// variant (the forward pass's) of every table, the reference included, on the same values stored as F16 bits.
    func testAttendGroupOfEveryTableEqualsTheComposedOperationsBitForBit() {
        var rng = SeededGenerator(seed: 11)
        let blockSize = 32
        for (dims, heads, count) in [(64, 3, 150), (64, 5, 97), (64, 1, 33), (128, 3, 70), (32, 2, 40), (64, 4, 16)] {
            let stride = 2 * dims, blocks = (count + blockSize - 1) / blockSize
            func halves(_ n: Int) -> [Float] {
                var v = randomFloats(n, using: &rng)
                FloatOps.reference.roundToHalf(&v, n)
                return v
            }
            let q = halves(heads * dims)
            let keyBlocks = (0..<blocks).map { _ in halves(blockSize * stride) }
            let valueBlocks = (0..<blocks).map { _ in halves(blockSize * stride) }
            for batch in [false, true] {
                for half in [false, true] {
                    func run(_ ops: FloatOps) -> [Float] {
                        var out = [Float](repeating: .nan, count: heads * dims)
                        var scores = [Float](repeating: .nan, count: heads * count)
                        var lanes = [Float](repeating: .nan, count: heads * 64 * dims)
                        let keys = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: blocks)
                        let values = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: blocks)
                        defer { keys.deallocate(); values.deallocate() }
                        let keyStorage = keyBlocks.map { block -> UnsafeMutablePointer<Float> in
                            let p = UnsafeMutablePointer<Float>.allocate(capacity: block.count)
                            p.initialize(from: block, count: block.count)
                            return p
                        }
                        let valueStorage = valueBlocks.map { block -> UnsafeMutablePointer<Float> in
                            let p = UnsafeMutablePointer<Float>.allocate(capacity: block.count)
                            p.initialize(from: block, count: block.count)
                            return p
                        }
                        defer { (keyStorage + valueStorage).forEach { $0.deallocate() } }
                        for b in 0..<blocks {
                            keys[b] = UnsafePointer(keyStorage[b]) + dims  // the second KV head of each row
                            values[b] = UnsafePointer(valueStorage[b]) + dims
                        }
                        ops.attendGroup(q, heads, dims, keys, values, blockSize, stride, count, 0.125, batch, half,
                                        &scores, &lanes, &out)
                        return out
                    }
                    func runHalfCache(_ ops: FloatOps) -> [Float] {
                        var out = [Float](repeating: .nan, count: heads * dims)
                        var scores = [Float](repeating: .nan, count: heads * count)
                        var lanes = [Float](repeating: .nan, count: heads * 64 * dims)
                        let storage = (keyBlocks + valueBlocks).map { block -> UnsafeMutablePointer<UInt16> in
                            let p = UnsafeMutablePointer<UInt16>.allocate(capacity: block.count)
                            p.initialize(from: block.map(Half.f32ToF16), count: block.count)
                            return p
                        }
                        let pointers = UnsafeMutablePointer<UnsafePointer<UInt16>>.allocate(capacity: 2 * blocks)
                        defer { pointers.deallocate(); storage.forEach { $0.deallocate() } }
                        for b in 0..<2 * blocks { pointers[b] = UnsafePointer(storage[b]) + dims }
                        ops.attendGroupHalf(q, heads, dims, pointers, pointers + blocks, blockSize, stride, count, 0.125,
                                            batch, half, &scores, &lanes, &out)
                        return out
                    }
                    let expected = run(.reference)
                    XCTAssertFalse(expected.contains { $0.isNaN })
                    for ops in [FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
                        XCTAssertEqual(bits(run(ops)), bits(expected),
                                       "\(ops.name) dims=\(dims) heads=\(heads) count=\(count) batch=\(batch) half=\(half)")
                    }
                    for ops in [FloatOps.reference, FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
                        XCTAssertEqual(bits(runHalfCache(ops)), bits(expected),
                                       "F16 cache, \(ops.name) dims=\(dims) heads=\(heads) count=\(count) batch=\(batch) half=\(half)")
                    }
                }
            }
        }
    }

    func testRoundToHalfOfEveryTableRoundsToNearestEven() {
        // 1 + 2^-11 is halfway between two f16 values and rounds to the even one (1); 1 + 3·2^-11 rounds up.
        let x: [Float] = [1 + 0x1p-11, 1 + 3 * 0x1p-11, 65520, -0.0, 0x1p-25, 3.14159, 1, 2, 3]
        let expected: [Float] = [1, 1 + 0x1p-9, .infinity, -0.0, 0, 3.140625, 1, 2, 3]
        for ops in [FloatOps.reference, FloatOps.avx2, FloatOps.avx512].compactMap({ $0 }) {
            var y = x
            ops.roundToHalf(&y, y.count)
            XCTAssertEqual(bits(y), bits(expected), ops.name)
        }
    }
}
