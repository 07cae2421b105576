// Builds GGUF files: ordered metadata, a tensor table and aligned tensor data; the reader's inverse.
// Used by `tokenworks quantize`, by tests to make real files, and to write fixtures.

/// Collects metadata and tensors and writes them as a GGUF file that `GGUFFile`, llama.cpp and gguf-py read.
///
/// Tensor offsets are assigned in the order tensors are added, each padded to the alignment (as ggml and gguf-py
/// do). Tensors can be added with their bytes (small files, tests) or declared without them and produced one by
/// one while writing (`write(to:tensorData:)`), so a quantizer never holds the whole model in memory.
///
/// The alignment is written as `general.alignment` (UINT32) whenever it is not the default 32. Setting
/// `general.alignment` explicitly writes exactly that value; a UINT32 power of two then becomes the alignment.
/// Anything else is written as given (useful for testing readers) and the data is left unpadded.
public struct GGUFWriter: Sendable {
    /// Format version written in the header (2 and 3 have the same layout).
    public let version: UInt32
    /// Metadata keys in the order they will be written.
    public private(set) var metadataKeys: [String] = []
    /// Metadata by key.
    public private(set) var metadata: [String: GGUFValue] = [:]
    private var entries: [Entry] = []
    private var names: Set<String> = []

    /// A tensor to write: its description (offset assigned from the alignment at write time) and, when given
    /// up front, its bytes.
    private struct Entry: Sendable {
        let name: String
        let dimensions: [Int]
        let type: TensorType
        let byteCount: Int
        let elementCount: Int
        let bytes: [UInt8]?
    }

    /// Starts an empty file. `alignment` should be a power of two (ggml's default is 32); others are written
    /// as given, and `addTensor` then refuses tensors because their data could not be aligned.
    public init(alignment: Int = 32, version: UInt32 = 3) {
        self.version = version
        if alignment != GGUFParser.defaultAlignment {
            set(MetadataKey.alignment, .uint32(UInt32(clamping: alignment)))
        }
    }

    /// Starts a file with all of `file`'s metadata, in its order (including `general.alignment`, so the
    /// alignment carries over). For tools that rewrite a model's tensors, such as `tokenworks quantize`, which
    /// then update `general.file_type` and add the new tensors.
    public init(copyingMetadataOf file: GGUFFile, version: UInt32 = 3) {
        self.version = version
        for key in file.metadataKeys {
            if let value = file.metadata[key] { set(key, value) }
        }
    }

    /// The alignment tensor data will have: `general.alignment` when it is a UINT32 power of two, else 32 when
    /// the key is absent, else 0 (invalid: data is written unpadded and readers will refuse the file).
    public var alignment: Int {
        switch metadata[MetadataKey.alignment] {
        case nil: return GGUFParser.defaultAlignment
        case .uint32(let raw)? where raw != 0 && raw & (raw - 1) == 0: return Int(raw)
        default: return 0
        }
    }

    /// Sets `key` to `value`. A new key goes at the end; an existing key keeps its place.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if metadata.updateValue(value, forKey: key) == nil { metadataKeys.append(key) }
    }

    /// Removes `key` if present.
    public mutating func remove(_ key: String) {
        guard metadata.removeValue(forKey: key) != nil else { return }
        metadataKeys.removeAll { $0 == key }
    }

    /// Adds a tensor with its data. `bytes.count` must equal the size the shape and type imply.
    public mutating func addTensor(name: String, dimensions: [Int], type: TensorType, bytes: [UInt8])
        throws(GGUFError) {
        try add(name: name, dimensions: dimensions, type: type, bytes: bytes)
    }

    /// Declares a tensor whose bytes `write(to:tensorData:)` will ask for when it reaches it. Returns the
    /// description (its `offset` is provisional until the file is written, as later keys may change the
    /// header size).
    @discardableResult
    public mutating func addTensor(name: String, dimensions: [Int], type: TensorType) throws(GGUFError)
        -> TensorInfo {
        try add(name: name, dimensions: dimensions, type: type, bytes: nil)
    }

    @discardableResult
    private mutating func add(name: String, dimensions: [Int], type: TensorType, bytes: [UInt8]?)
        throws(GGUFError) -> TensorInfo {
        guard !name.isEmpty, name.utf8.count <= GGUFParser.maxTensorNameLength else {
            throw .invalidTensor(name: name, reason: "names must be 1 to \(GGUFParser.maxTensorNameLength) bytes")
        }
        guard !names.contains(name) else {
            throw .invalidTensor(name: name, reason: "a tensor with this name was already added")
        }
        guard alignment > 0 else {
            throw .invalidTensor(name: name, reason: "general.alignment is not a UINT32 power of two, so tensor "
                + "data cannot be aligned")
        }
        let info = try TensorInfo(name: name, dimensions: dimensions, type: type, offset: 0)
        if let bytes, bytes.count != info.byteCount {
            throw .invalidTensor(name: name, reason: "\(bytes.count) bytes given, but \(type.name) "
                + "\(dimensions) takes \(info.byteCount)")
        }
        names.insert(name)
        entries.append(Entry(name: name, dimensions: dimensions, type: type, byteCount: info.byteCount,
                             elementCount: info.elementCount, bytes: bytes))
        return tensors.last ?? info
    }

    /// The tensor table as it will be written, with offsets relative to the data section.
    public var tensors: [TensorInfo] {
        var offset = 0
        let alignment = alignment
        return entries.map { entry in
            let info = TensorInfo(validatedName: entry.name, dimensions: entry.dimensions, type: entry.type,
                                  offset: offset, elementCount: entry.elementCount, byteCount: entry.byteCount)
            offset += entry.byteCount + ByteWriter.padding(entry.byteCount, alignment)
            return info
        }
    }

    /// Everything before the tensor data: header, metadata, tensor table and the padding up to the data section.
    public func headerBytes() -> [UInt8] {
        var writer = ByteWriter()
        writer.write(contentsOf: Array("GGUF".utf8))
        writer.write(version)
        writer.write(UInt64(entries.count))
        writer.write(UInt64(metadataKeys.count))
        for key in metadataKeys {
            guard let value = metadata[key] else { continue }
            writer.write(key)
            writer.write(value.valueType.rawValue)
            writer.write(value)
        }
        for tensor in tensors {
            writer.write(tensor.name)
            writer.write(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { writer.write(UInt64(dimension)) }
            writer.write(tensor.type.rawValue)
            writer.write(UInt64(tensor.offset))
        }
        writer.pad(to: alignment)
        return writer.bytes
    }

    /// The whole file in memory. Tensors declared without bytes are written as zeros.
    public func serialized() -> [UInt8] {
        var bytes = headerBytes()
        for entry in entries {
            if let data = entry.bytes {
                bytes.append(contentsOf: data)
            } else {
                bytes.append(contentsOf: repeatElement(0, count: entry.byteCount))
            }
            bytes.append(contentsOf: repeatElement(0, count: ByteWriter.padding(entry.byteCount, alignment)))
        }
        return bytes
    }

    /// Writes the file atomically (temporary file in the same directory, fsync, rename). Every tensor must
    /// have been added with its bytes.
    public func write(to path: String) throws(GGUFError) {
        if let missing = entries.first(where: { $0.bytes == nil }) {
            throw .invalidTensor(name: missing.name, reason: "it was declared without bytes; use "
                + "write(to:tensorData:) to supply them")
        }
        do {
            try write(to: path) { _ in [] }
        } catch let error as GGUFError {
            throw error
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    /// Writes the file atomically, asking `tensorData` for the bytes of each tensor declared without them, in
    /// file order, one at a time, so only one tensor's data is in memory. Errors thrown by `tensorData` are
    /// rethrown unchanged after the temporary file is removed; the destination is untouched on any failure.
    public func write(to path: String, tensorData: (TensorInfo) throws -> [UInt8]) throws {
        let output = try AtomicFileOutput(path: path)
        try output.append(headerBytes())
        let alignment = alignment
        for (entry, info) in zip(entries, tensors) {
            let data = try entry.bytes ?? tensorData(info)
            guard data.count == info.byteCount else {
                throw GGUFError.invalidTensor(name: info.name, reason: "\(data.count) bytes supplied, but "
                    + "\(info.type.name) \(info.dimensions) takes \(info.byteCount)")
            }
            try output.append(data)
            try output.append([UInt8](repeating: 0, count: ByteWriter.padding(info.byteCount, alignment)))
        }
        try output.commit()
    }
}
