// Repacks Q4_0, Q4_1 and Q8_0 matrices into 8-row groups at load time, so the x86 kernels process eight rows per
// instruction and store results without horizontal sums (the idea of ggml's repacked q4_0_8x8, our own layout).

/// Conversions between ggml's row-major blocks and the interleaved 8-row layout.
///
/// Per group of 8 rows and per 32-element block: the 8 f16 scales (16 B), for Q4_1 the 8 f16 minimums (16 B),
/// then the quants in 4-byte chunks — chunk c holds bytes 4c..4c+3 of rows 0..7. Missing rows of the last group
/// are zeros.
enum WeightPacker {
    /// Formats with packed kernels.
    static func supports(_ format: WeightFormat) -> Bool { geometry(format) != nil }

    /// (scale bytes before the quants in a ggml block, quant bytes per block): q4_0 (2, 16), q4_1 (4, 16),
    /// q8_0 (2, 32).
    static func geometry(_ format: WeightFormat) -> (header: Int, quants: Int)? {
        switch format {
        case .q4_0: return (2, 16)
        case .q4_1: return (4, 16)
        case .q8_0: return (2, 32)
        default: return nil
        }
    }

    /// Bytes of one block of one 8-row group.
    static func groupBlockBytes(_ format: WeightFormat) -> Int {
        guard let g = geometry(format) else { return 0 }
        return 8 * (g.header + g.quants)
    }

    /// Bytes of one whole 8-row group.
    static func groupBytes(_ format: WeightFormat, columns: Int) -> Int {
        columns / 32 * groupBlockBytes(format)
    }

    /// The packed copy of `w`, or `w` itself when the format has no packed layout or it is already packed.
    static func pack(_ w: WeightMatrix) -> WeightMatrix {
        guard w.layout == .rowMajor, let g = geometry(w.format) else { return w }
        let blocks = w.columns / 32, blockBytes = g.header + g.quants
        let groups = (w.rows + 7) / 8
        let groupBlock = groupBlockBytes(w.format)
        let storage = PackedStorage(count: groups * blocks * groupBlock)
        for row in 0..<w.rows {
            let src = w.rowPointer(row)
            let group = row / 8, lane = row % 8
            for b in 0..<blocks {
                let block = src + b * blockBytes
                let dst = storage.bytes + (group * blocks + b) * groupBlock
                // Scales (and minimums): header is 2 or 4 bytes of f16 values, each to its own 16-byte area.
                for h in stride(from: 0, to: g.header, by: 2) {
                    (dst + h * 8 + lane * 2).copyMemory(from: block + h, byteCount: 2)
                }
                let quants = dst + g.header * 8
                for c in 0..<g.quants / 4 {
                    (quants + c * 32 + lane * 4).copyMemory(from: block + g.header + c * 4, byteCount: 4)
                }
            }
        }
        return WeightMatrix(packed: storage, format: w.format, rows: w.rows, columns: w.columns)
    }

    /// Rebuilds row `row` of a packed matrix in ggml's block layout into `out` (room for `w.rowBytes`).
    static func unpackRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutableRawPointer) {
        guard let g = geometry(w.format) else { return }
        let blocks = w.columns / 32, blockBytes = g.header + g.quants
        let groupBlock = groupBlockBytes(w.format)
        let group = row / 8, lane = row % 8
        for b in 0..<blocks {
            let src = w.base + (group * blocks + b) * groupBlock
            let block = out + b * blockBytes
            for h in stride(from: 0, to: g.header, by: 2) {
                (block + h).copyMemory(from: src + h * 8 + lane * 2, byteCount: 2)
            }
            for c in 0..<g.quants / 4 {
                (block + g.header + c * 4).copyMemory(from: src + g.header * 8 + c * 32 + lane * 4, byteCount: 4)
            }
        }
    }
}
