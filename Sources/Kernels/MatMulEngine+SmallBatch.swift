// The batched-decoding product: 2...16 activation rows against a packed matrix through `SmallBatchKernels`, with
// the activation scales converted once per call and the rows split evenly over the pool in whole 8-row groups.
import Foundation

extension MatMulEngine {
    /// y[n × rows] = a[n rows, already converted] · Wᵀ for a packed `w` and 2 ≤ n ≤ `SmallBatchKernels.maxTokens`.
    func matmulSmall(_ w: WeightMatrix, _ entry: SmallBatchKernels.Entry, _ a: UnsafeRawPointer, _ aStride: Int,
                     _ n: Int, _ y: UnsafeMutablePointer<Float>) {
        let columns = w.columns, rows = w.rows, base = w.base
        let blocks = columns / 32
        var sums: UnsafePointer<Int32>? = nil
        if let (write, perBlock) = kernels.packedSums(for: w.format) {
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
        let scales = UnsafePointer(scaleOut)
        let groupBytes = WeightPacker.groupBytes(w.format, columns: columns)
        let chunk = MatMulEngine.smallBatchChunk(rows: rows, threads: pool.threadCount)
        let gemm = entry.gemm
        pool.parallelFor(rows, chunk: chunk) { _, range in
            gemm(columns, base + range.lowerBound / 8 * groupBytes, range.count, a, aStride, sums, scales, n,
                 y + range.lowerBound, rows)
        }
    }

    /// Rows per work item of a small batch: whole 8-row groups, about four items per thread, so a thread the OS
    /// delays hands its share to the others (the product is compute-bound: every item costs the same).
    static func smallBatchChunk(rows: Int, threads: Int) -> Int {
        let perItem = (rows + threads * 4 - 1) / (threads * 4)
        return max(8, (perItem + 7) & ~7)
    }
}
