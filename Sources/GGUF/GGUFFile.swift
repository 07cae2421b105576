// A GGUF model file opened for reading: validated header, metadata and tensor table over an mmap.
//
// GGUF layout (versions 2 and 3; everything little-endian; v3 only added big-endian files, which we refuse):
//
//   offset 0   "GGUF"                    4 bytes of magic
//              version          u32      2 or 3 (v1 used 32-bit counts and is refused)
//              tensor_count     u64
//              kv_count         u64
//   then kv_count metadata entries, each
//              key              string   u64 byte length + UTF-8 bytes, no terminator; unique, non-empty
//              value_type       u32      0 UINT8, 1 INT8, 2 UINT16, 3 INT16, 4 UINT32, 5 INT32, 6 FLOAT32,
//                                        7 BOOL (one byte, 0 or 1), 8 STRING, 9 ARRAY, 10 UINT64, 11 INT64,
//                                        12 FLOAT64
//              value                     the value itself; an ARRAY is element type u32 + count u64 + the
//                                        elements back to back (arrays may hold arrays)
//   then tensor_count tensor infos, each
//              name             string   unique, shorter than 64 bytes
//              n_dims           u32      1...4
//              dims             u64 × n_dims   ggml order: dims[0] is the contiguous row length
//              type             u32      a ggml_type (F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q8_0 = 8, ...)
//              offset           u64      where the data starts, relative to the data section, a multiple of
//                                        the alignment
//   then zero padding up to the next multiple of the alignment: `general.alignment` (a UINT32 power of two)
//   when present, else 32. The data section starts there and runs to the end of the file; each tensor's bytes
//   are its rows of blocks, `elements / blockSize * bytesPerBlock` long. A file without tensors may end before
//   the padded data offset.

/// An opened GGUF file. Opening validates the whole header, metadata and tensor table, and checks that every
/// tensor's bytes lie inside the file, so later code can trust shapes, types and ranges. Tensor data is not
/// read at open: it is reached through `unsafeTensorBytes(_:)`, straight from the mapping.
///
/// A value type over a shared, immutable `MappedFile`: copies are cheap and keep the mapping alive.
public struct GGUFFile: Sendable {
    /// The file path, or nil for a file parsed from memory.
    public let path: String?
    /// Format version: 2 or 3.
    public let version: UInt32
    /// Alignment of tensor data (`general.alignment`, default 32).
    public let alignment: Int
    /// Absolute byte offset of the data section; tensor offsets are relative to it. May exceed `fileSize` when
    /// the file has no tensors (vocabulary-only files end right after the metadata).
    public let dataOffset: Int
    /// Size of the file in bytes.
    public let fileSize: Int
    /// Metadata keys in file order (dictionaries lose the order; `models inspect` and the writer keep it).
    public let metadataKeys: [String]
    /// Metadata by key.
    public let metadata: [String: GGUFValue]
    /// Tensor descriptions in file order.
    public let tensors: [TensorInfo]
    /// The bytes everything is read from.
    public let mapping: MappedFile
    private let tensorIndex: [String: Int]

    /// Maps the file at `path` and validates it.
    public init(path: String) throws(GGUFError) {
        try self.init(mapping: MappedFile(path: path))
    }

    /// Parses a GGUF image held in memory (tests, fuzzing, data that never was a file).
    public init(bytes: [UInt8]) throws(GGUFError) {
        try self.init(mapping: MappedFile(bytes: bytes))
    }

    /// Parses and validates the bytes of `mapping`.
    public init(mapping: MappedFile) throws(GGUFError) {
        let parsed = try GGUFParser(mapping.unsafeBytes)
        self.mapping = mapping
        path = mapping.path
        version = parsed.version
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        fileSize = mapping.count
        metadataKeys = parsed.metadataKeys
        metadata = parsed.metadata
        tensors = parsed.tensors
        var index: [String: Int] = [:]
        index.reserveCapacity(parsed.tensors.count)
        for (position, tensor) in parsed.tensors.enumerated() { index[tensor.name] = position }
        tensorIndex = index
    }

    /// The tensor called `named`, if the file has one.
    public func tensor(named: String) -> TensorInfo? {
        tensorIndex[named].map { tensors[$0] }
    }

    /// Raw bytes of a tensor inside the mapping; valid as long as this GGUFFile (its MappedFile) is alive.
    /// Empty if `tensor` does not describe a range inside this file (e.g. it came from another file).
    public func unsafeTensorBytes(_ tensor: TensorInfo) -> UnsafeRawBufferPointer {
        let (start, overflow) = dataOffset.addingReportingOverflow(tensor.offset)
        let (end, overflowEnd) = start.addingReportingOverflow(tensor.byteCount)
        guard !overflow, !overflowEnd, tensor.offset >= 0, tensor.byteCount >= 0 else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return mapping.unsafeBytes(in: start..<end)
    }

    /// The raw value of `key`, if present.
    public func value(_ key: String) -> GGUFValue? { metadata[key] }

    /// `general.architecture` ("llama", "qwen2"…), the prefix of the architecture's own keys; nil if absent.
    public var architecture: String? { metadata["general.architecture"]?.stringValue }
}
