// Repacks the 32-element block formats (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) into 8-row groups at load time, so the x86
// kernels process eight rows per instruction and store results without horizontal sums (the idea of ggml's
// repacked q4_0_8x8, with our own layout).

/// Conversions between ggml's row-major blocks and the interleaved 8-row layout.
///
/// Per group of 8 rows and per 32-element block: the 8 f16 scales (16 B), for Q4_1/Q5_1 the 8 f16 minimums
/// (16 B), for Q5_0/Q5_1 each row's 32 fifth bits in kernel order (32 B), then the quants in 4-byte chunks —
/// chunk c holds bytes 4c..4c+3 of rows 0..7. Q4_1 and Q8_0 pair their chunks instead: 64 bytes per pair p holding,
/// row by row, chunks 2p and 2p+1 side by side, so one 512-bit register carries two of ggml's eight dot lanes for
/// all 8 rows and the matching activation bytes are a single 8-byte broadcast (kernels_x86.h, tw_x8_q4_1 and
/// tw_x8_q8_0: no lane shuffles in the inner loop). Missing rows of the last group are zeros.
enum WeightPacker {
    /// Where a ggml block keeps its parts: f16 values (scale, minimum), the fifth bits, the quants.
    struct Geometry {
        let halves: Int
        let highBits: Int?
        let quants: Int
        let quantBytes: Int
        let blockBytes: Int
    }

    static func geometry(_ format: WeightFormat) -> Geometry? {
        switch format {
        case .q4_0: return Geometry(halves: 1, highBits: nil, quants: 2, quantBytes: 16, blockBytes: 18)
        case .q4_1: return Geometry(halves: 2, highBits: nil, quants: 4, quantBytes: 16, blockBytes: 20)
        case .q5_0: return Geometry(halves: 1, highBits: 2, quants: 6, quantBytes: 16, blockBytes: 22)
        case .q5_1: return Geometry(halves: 2, highBits: 4, quants: 8, quantBytes: 16, blockBytes: 24)
        case .q8_0: return Geometry(halves: 1, highBits: nil, quants: 2, quantBytes: 32, blockBytes: 34)
        default: return nil
        }
    }

    /// Formats with a packed layout.
    static func supports(_ format: WeightFormat) -> Bool { geometry(format) != nil }

    /// Bytes of one block of one 8-row group (8 × the ggml block).
    static func groupBlockBytes(_ format: WeightFormat) -> Int { 8 * (geometry(format)?.blockBytes ?? 0) }

    /// Bytes of one whole 8-row group.
    static func groupBytes(_ format: WeightFormat, columns: Int) -> Int { columns / 32 * groupBlockBytes(format) }

    /// Byte offset of quant chunk `chunk` (bytes 4c..4c+3 of a block's quants) of row `lane` within a group
    /// block's quant area.
    @inline(__always)
    static func chunkOffset(_ format: WeightFormat, chunk c: Int, lane: Int) -> Int {
        format == .q4_1 || format == .q8_0 ? 64 * (c / 2) + 8 * lane + 4 * (c % 2) : 32 * c + 4 * lane
    }

    /// Packed bit position of element e's fifth bit (see the layout above and kernels_x86.h).
    @inline(__always)
    static func packedBit(_ e: Int) -> Int { e < 16 ? 8 * (e % 4) + 4 + e / 4 : 8 * ((e - 16) % 4) + (e - 16) / 4 }

    /// The packed copy of `w`, or `w` itself when the format has no packed layout or it is already packed.
    /// The bytes go into `arena` when one is given and has room, else into an allocation of their own.
    static func pack(_ w: WeightMatrix, arena: WeightArena? = nil) -> WeightMatrix {
        guard w.layout == .rowMajor, let g = geometry(w.format) else { return w }
        let blocks = w.columns / 32, groupBlock = groupBlockBytes(w.format)
        let count = packedBytes(w)
        let storage = arena.flatMap { PackedStorage(arena: $0, count: count) } ?? PackedStorage(count: count)
        for row in 0..<w.rows {
            let lane = row % 8
            for b in 0..<blocks {
                let block = w.rowPointer(row) + b * g.blockBytes
                let dst = storage.bytes + (row / 8 * blocks + b) * groupBlock
                for h in 0..<g.halves { (dst + 16 * h + 2 * lane).copyMemory(from: block + 2 * h, byteCount: 2) }
                var quants = dst + 16 * g.halves
                if let highBits = g.highBits {
                    let bits = block.loadUnaligned(fromByteOffset: highBits, as: UInt32.self)
                    var packed: UInt32 = 0
                    for e in 0..<32 where (bits >> UInt32(e)) & 1 != 0 { packed |= 1 << UInt32(packedBit(e)) }
                    (quants + 4 * lane).storeBytes(of: packed, as: UInt32.self)
                    quants += 32
                }
                for c in 0..<g.quantBytes / 4 {
                    (quants + chunkOffset(w.format, chunk: c, lane: lane))
                        .copyMemory(from: block + g.quants + 4 * c, byteCount: 4)
                }
            }
        }
        return WeightMatrix(storage: storage, layout: .interleaved8, format: w.format, rows: w.rows, columns: w.columns)
    }

    /// Bytes of the packed copy of `w` (whole 8-row groups).
    static func packedBytes(_ w: WeightMatrix) -> Int { (w.rows + 7) / 8 * groupBytes(w.format, columns: w.columns) }

    /// Rebuilds row `row` of a packed matrix in ggml's block layout into `out` (room for `w.rowBytes`).
    static func unpackRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutableRawPointer) {
        guard let g = geometry(w.format) else { return }
        let blocks = w.columns / 32, groupBlock = groupBlockBytes(w.format), lane = row % 8
        for b in 0..<blocks {
            let src = w.base + (row / 8 * blocks + b) * groupBlock
            let block = out + b * g.blockBytes
            for h in 0..<g.halves { (block + 2 * h).copyMemory(from: src + 16 * h + 2 * lane, byteCount: 2) }
            var quants = src + 16 * g.halves
            if let highBits = g.highBits {
                let packed = quants.loadUnaligned(fromByteOffset: 4 * lane, as: UInt32.self)
                var bits: UInt32 = 0
                for e in 0..<32 where (packed >> UInt32(packedBit(e))) & 1 != 0 { bits |= 1 << UInt32(e) }
                (block + highBits).storeBytes(of: bits, as: UInt32.self)
                quants += 32
            }
            for c in 0..<g.quantBytes / 4 {
                (block + g.quants + 4 * c)
                    .copyMemory(from: quants + chunkOffset(w.format, chunk: c, lane: lane), byteCount: 4)
            }
        }
    }
}
