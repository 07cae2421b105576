// A view of a row-major quantized matrix in memory someone else owns (an mmapped GGUF file), validated once so
// the kernels can trust its shape.

/// `rows` rows of `columns` elements in `format`, row r starting at `base + r · rowBytes`.
///
/// Why `@unchecked Sendable`: it holds a raw pointer into read-only mapped memory that outlives the view
/// (the owner, e.g. the model's mapped file, keeps it alive) and is never written through.
public struct WeightMatrix: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let format: WeightFormat
    public let rows: Int
    public let columns: Int

    /// Validates the shape: positive dimensions, whole blocks per row and a format with kernels.
    public init(base: UnsafeRawPointer, format: WeightFormat, rows: Int, columns: Int) throws(KernelsError) {
        guard rows > 0, columns > 0 else { throw .invalidShape(rows: rows, columns: columns) }
        guard columns % format.blockSize == 0 else { throw .misalignedColumns(format: format, columns: columns) }
        guard KernelSet.reference.supports(format) else { throw .formatNotImplemented(format) }
        self.base = base
        self.format = format
        self.rows = rows
        self.columns = columns
    }

    /// Bytes per row.
    public var rowBytes: Int { format.rowBytes(columns: columns) }

    /// Bytes of the whole matrix.
    public var byteCount: Int { rowBytes * rows }

    /// The first byte of row `row` (0 ≤ row < rows).
    @inline(__always)
    public func rowPointer(_ row: Int) -> UnsafeRawPointer { base + row * rowBytes }
}
