// A view of a row-major quantized matrix in memory someone else owns (an mmapped GGUF file), validated once so
// the kernels can trust its shape; or the same matrix repacked into 8-row groups for the x86 kernels.

/// `rows` rows of `columns` elements in `format`, row r starting at `base + r · rowBytes`.
///
/// Why `@unchecked Sendable`: it holds a raw pointer into read-only memory that outlives the view (the owner,
/// e.g. the model's mapped file, keeps it alive; a packed copy is kept alive by `storage`) and is never written
/// through.
public struct WeightMatrix: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let format: WeightFormat
    public let rows: Int
    public let columns: Int
    /// How the bytes at `base` are arranged.
    let layout: WeightLayout
    /// Owner of packed bytes (nil when `base` points into someone else's memory).
    let storage: PackedStorage?

    /// Validates the shape: positive dimensions, whole blocks per row and a format with kernels.
    public init(base: UnsafeRawPointer, format: WeightFormat, rows: Int, columns: Int) throws(KernelsError) {
        guard rows > 0, columns > 0 else { throw .invalidShape(rows: rows, columns: columns) }
        guard columns % format.blockSize == 0 else { throw .misalignedColumns(format: format, columns: columns) }
        guard KernelSet.reference.supports(format) else { throw .formatNotImplemented(format) }
        self.base = base
        self.format = format
        self.rows = rows
        self.columns = columns
        layout = .rowMajor
        storage = nil
    }

    /// A packed copy (`WeightPacker`) or a plain copy (`copied(into:)`) whose bytes `storage` owns.
    init(storage: PackedStorage, layout: WeightLayout, format: WeightFormat, rows: Int, columns: Int) {
        base = UnsafeRawPointer(storage.bytes)
        self.format = format
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.storage = storage
    }

    /// This matrix copied row-major into `arena` (nil when it has no room): the same bytes, on huge pages.
    func copied(into arena: WeightArena) -> WeightMatrix? {
        guard layout == .rowMajor, let storage = PackedStorage(arena: arena, count: byteCount) else { return nil }
        storage.bytes.copyMemory(from: base, byteCount: byteCount)
        return WeightMatrix(storage: storage, layout: .rowMajor, format: format, rows: rows, columns: columns)
    }

    /// Bytes per row in the file's row-major layout.
    public var rowBytes: Int { format.rowBytes(columns: columns) }

    /// Bytes of the whole matrix in the row-major layout.
    public var byteCount: Int { rowBytes * rows }

    /// True when this matrix was repacked for the x86 kernels (`MatMulEngine.pack`).
    public var isPacked: Bool { layout == .interleaved8 }

    /// The first byte of row `row` (0 ≤ row < rows). Only meaningful for row-major matrices (`isPacked` false);
    /// use `MatMulEngine.dequantizeRow` to read rows of either layout.
    @inline(__always)
    public func rowPointer(_ row: Int) -> UnsafeRawPointer { base + row * rowBytes }
}

/// Arrangement of a matrix's bytes.
enum WeightLayout: Sendable, Equatable {
    /// ggml's: row after row, each a sequence of blocks.
    case rowMajor
    /// Groups of 8 rows; per block, the 8 scales (and minimums) then the quants in row-interleaved 4-byte chunks.
    case interleaved8
}

/// Owns the memory of a packed or copied matrix (64-byte aligned, zero-filled), freed with the last matrix value
/// that uses it: its own allocation, or a slice of a `WeightArena` that it keeps alive.
final class PackedStorage: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer
    let count: Int
    /// The arena the bytes belong to (nil when they are this object's own allocation).
    private let arena: WeightArena?

    init(count: Int) {
        self.count = count
        arena = nil
        bytes = UnsafeMutableRawPointer.allocate(byteCount: max(count, 64), alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 64))
    }

    /// `count` bytes of `arena`, or nil when it has no room left.
    init?(arena: WeightArena, count: Int) {
        guard let p = arena.allocate(count) else { return nil }
        self.count = count
        self.arena = arena
        bytes = p
    }

    deinit {
        if arena == nil { bytes.deallocate() }
    }
}
