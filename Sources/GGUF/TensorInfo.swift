// One entry of a GGUF tensor table: name, shape in ggml order, element type and where its bytes are.

/// Describes one tensor of a GGUF file. Values are only made by the reader (after validation) or by
/// `init(name:dimensions:type:offset:)`, which applies the same shape checks, so `elementCount` and `byteCount`
/// never overflow and `rowLength` always exists.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. "blk.0.attn_q.weight".
    public let name: String
    /// Shape in ggml `ne` order: `dimensions[0]` is the contiguous (row) length; 1 to 4 entries, all positive.
    public let dimensions: [Int]
    /// Element type.
    public let type: TensorType
    /// Byte offset of the data relative to the start of the file's data section (`GGUFFile.dataOffset`).
    public let offset: Int
    /// Bytes of data: `elementCount / type.blockSize * type.bytesPerBlock`.
    public let byteCount: Int
    /// Product of all dimensions.
    public let elementCount: Int

    /// Elements in one row (the contiguous dimension).
    public var rowLength: Int { dimensions[0] }
    /// Number of rows: the product of every dimension but the first.
    public var rowCount: Int { elementCount / dimensions[0] }
    /// Bytes in one row.
    public var rowByteCount: Int { byteCount / rowCount }

    /// Makes a tensor description after checking the shape the way the reader does: 1 to 4 positive
    /// dimensions, a row length that is a whole number of blocks, and no overflow in elements or bytes.
    public init(name: String, dimensions: [Int], type: TensorType, offset: Int) throws(GGUFError) {
        let raw = dimensions.map { UInt64(truncatingIfNeeded: $0) }
        guard (1...Self.maxDimensions).contains(dimensions.count) else {
            throw .invalidTensor(name: name, reason: "it has \(dimensions.count) dimensions (must be 1 to 4)")
        }
        if let index = dimensions.firstIndex(where: { $0 <= 0 }) {
            throw .invalidTensor(name: name, reason: "dimension \(index) is \(dimensions[index]) (must be positive)")
        }
        guard offset >= 0 else { throw .invalidTensor(name: name, reason: "its offset \(offset) is negative") }
        var elements = 1
        for dimension in dimensions {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .shapeOverflow(tensor: name, offset: 0, dimensions: raw) }
            elements = product
        }
        guard dimensions[0] % type.blockSize == 0 else {
            throw .invalidTensor(name: name, reason: "its row length \(dimensions[0]) is not a multiple of the "
                + "\(type.name) block size \(type.blockSize)")
        }
        guard let bytes = type.byteCount(elements: elements) else {
            throw .shapeOverflow(tensor: name, offset: 0, dimensions: raw)
        }
        self.init(validatedName: name, dimensions: dimensions, type: type, offset: offset,
                  elementCount: elements, byteCount: bytes)
    }

    /// The reader's initialiser: it has already checked everything (with byte offsets for its errors).
    init(validatedName name: String, dimensions: [Int], type: TensorType, offset: Int, elementCount: Int,
         byteCount: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.elementCount = elementCount
        self.byteCount = byteCount
    }

    /// GGML_MAX_DIMS: ggml tensors have at most four dimensions.
    public static let maxDimensions = 4
}
