// The decoding product: 1...16 activation rows against a packed matrix through `SmallBatchKernels`, with
// the activation scales converted once per call and the rows split evenly over the pool in whole 8-row groups.
import Foundation

extension MatMulEngine {
    /// y[n × rows] = a[n rows, already converted] · Wᵀ for a packed `w` and 1 ≤ n ≤ `SmallBatchKernels.maxTokens`.
    func matmulSmall(_ w: WeightMatrix, _ entry: SmallBatchKernels.Entry, _ a: UnsafeRawPointer, _ aStride: Int,
                     _ n: Int, _ y: UnsafeMutablePointer<Float>) {
        let columns = w.columns, rows = w.rows, base = w.base
        let (sums, scales) = prepareSmall(w.format, entry, a, aStride, n, blocks: columns / 32)
        let groupBytes = WeightPacker.groupBytes(w.format, columns: columns)
        let chunk = 8 * MatMulEngine.smallBatchGroups(groups: (rows + 7) / 8, blocks: columns / 32, tokens: n,
                                                      threads: pool.threadCount)
        let gemm = entry.gemm
        pool.parallelFor(rows, chunk: chunk) { _, range in
            gemm(columns, base + range.lowerBound / 8 * groupBytes, range.count, a, aStride, sums, scales, n,
                 y + range.lowerBound, rows)
        }
    }

    /// The activation sums and f32 scales the small kernels read, in this engine's scratch (valid until the next
    /// product).
    private func prepareSmall(_ format: WeightFormat, _ entry: SmallBatchKernels.Entry, _ a: UnsafeRawPointer,
                              _ aStride: Int, _ n: Int, blocks: Int) -> (UnsafePointer<Int32>?, UnsafePointer<Float>) {
        var sums: UnsafePointer<Int32>? = nil
        if let (write, perBlock) = kernels.packedSums(for: format) {
            let stride = blocks * perBlock
            reserve(&sumScratch, &sumScratchBytes, n * stride * 4)
            let out = sumScratch.assumingMemoryBound(to: Int32.self)
            for t in 0..<n { write(a + t * aStride, blocks, out + t * stride) }
            sums = UnsafePointer(out)
        }
        let scaleStride = blocks * entry.scalesPerBlock
        reserve(&scaleScratch, &scaleScratchBytes, n * scaleStride * 4)
        let scaleOut = scaleScratch.assumingMemoryBound(to: Float.self)
        for t in 0..<n { entry.scales(a + t * aStride, blocks, scaleOut + t * scaleStride) }
        return (sums, UnsafePointer(scaleOut))
    }

    /// The products of two or three matrices reading the same input rows — a layer's query, key and value
    /// projections, or its gate and up projections: y_i[n × rows_i] = x[n × columns] · W_iᵀ.
    ///
    /// Why one call: for a small batch (1...16 rows over packed matrices of one format) the input is converted once
    /// instead of once per matrix and the three products are one job on the pool, so the threads meet once, not
    /// three times, and the last work item of one matrix does not leave a thread idle. Otherwise (a prompt's
    /// rows, other layouts or formats) it is the decode/prefill shared-input product. Either way every output has the bits of
    /// `matmul` alone.
    public func matmul(sharing x: UnsafePointer<Float>, count n: Int,
                       _ first: (WeightMatrix, UnsafeMutablePointer<Float>),
                       _ second: (WeightMatrix, UnsafeMutablePointer<Float>),
                       _ third: (WeightMatrix, UnsafeMutablePointer<Float>)? = nil) {
        let w = first.0
        let activation = w.format.activationFormat
        func sameShape(_ m: WeightMatrix) -> Bool {
            m.format == w.format && m.columns == w.columns && m.layout == .interleaved8
        }
        guard n <= SmallBatchKernels.maxTokens, w.layout == .interleaved8, sameShape(second.0),
              third.map({ sameShape($0.0) }) ?? true, activation != .f32,
              let entry = smallBatch?.entry(for: w.format), let convert = kernels.converter(for: activation) else {
            // A prompt's many rows, or a format without small-batch kernels: the shared-input product of the
            // decode/prefill path.
            matmul(first.0, second.0, third?.0, sharing: x, count: n, into: first.1, second.1, third?.1)
            return
        }
        let columns = w.columns
        let aStride = activation.rowBytes(columns: columns)
        reserve(&scratch, &scratchBytes, n * aStride)
        for t in 0..<n { convert(x + t * columns, scratch + t * aStride, columns) }
        let a = UnsafeRawPointer(scratch)
        let (sums, scales) = prepareSmall(w.format, entry, a, aStride, n, blocks: columns / 32)
        let groupBytes = WeightPacker.groupBytes(w.format, columns: columns)
        let g0 = (first.0.rows + 7) / 8, g1 = (second.0.rows + 7) / 8, g2 = third.map { ($0.0.rows + 7) / 8 } ?? 0
        let total = g0 + g1 + g2
        let threads = pool.threadCount
        let chunk = MatMulEngine.smallBatchGroups(groups: total, blocks: columns / 32, tokens: n, threads: threads)
        let gemm = entry.gemm
        pool.parallelFor(total, chunk: chunk) { _, range in
            var g = range.lowerBound
            while g < range.upperBound {
                // The matrix holding group g, its first group's index, and where its groups end.
                let (m, offset, end): ((WeightMatrix, UnsafeMutablePointer<Float>), Int, Int)
                if g < g0 {
                    (m, offset, end) = (first, 0, g0)
                } else if g < g0 + g1 || third == nil {
                    (m, offset, end) = (second, g0, g0 + g1)
                } else if let third {
                    (m, offset, end) = (third, g0 + g1, total)
                } else {
                    return
                }
                let stop = min(range.upperBound, end)
                let row = (g - offset) * 8, rows = min(m.0.rows, (stop - offset) * 8) - row
                gemm(columns, m.0.base + (g - offset) * groupBytes, rows, a, aStride, sums, scales, n, m.1 + row,
                     m.0.rows)
                g = stop
            }
        }
    }

    /// 8-row groups per work item of a small batch: about four items per thread, so a thread the OS delays hands
    /// its share to the others, and at most ~16K block-token products (~40 µs) per item, so the output head
    /// (49152 rows) does not end on one long item while the other thread waits.
    static func smallBatchGroups(groups: Int, blocks: Int, tokens: Int, threads: Int) -> Int {
        let even = (groups + threads * 4 - 1) / (threads * 4)
        let bounded = max(1, 16384 / max(1, blocks * tokens))
        return max(1, min(even, bounded))
    }
}
