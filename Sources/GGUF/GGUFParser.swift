// Turns GGUF bytes into a validated header, metadata and tensor table (see the layout in GGUFFile.swift).
// Every count, length, shape and range is checked against the bytes actually present before it is used.

/// The parse of one GGUF buffer. A namespace of functions over a `ByteReader`; `GGUFFile` wraps the result.
struct GGUFParser {
    /// Deepest nesting of arrays inside a value (an array of arrays is depth 2).
    static let maxArrayDepth = 8
    /// Longest key (the format's limit, 2^16-1 bytes).
    static let maxKeyLength = 65_535
    /// Longest tensor name ggml accepts (GGML_MAX_NAME is 64 including the terminator).
    static let maxTensorNameLength = 63
    /// The alignment of the data section when `general.alignment` is absent.
    static let defaultAlignment = 32
    /// The smallest a KV pair can be on disk: 8-byte key length + 1-byte key + 4-byte type + 1-byte value.
    static let minimumKVSize = 14
    /// The smallest a tensor info can be: name length + 1-byte name + n_dims + one dimension + type + offset.
    static let minimumTensorInfoSize = 8 + 1 + 4 + 8 + 4 + 8

    var version: UInt32 = 0
    var alignment = defaultAlignment
    var dataOffset = 0
    var metadataKeys: [String] = []
    var metadata: [String: GGUFValue] = [:]
    var tensors: [TensorInfo] = []

    private var reader: ByteReader

    /// Parses and validates everything in `bytes`; nothing is read lazily afterwards except tensor data.
    init(_ bytes: UnsafeRawBufferPointer) throws(GGUFError) {
        reader = ByteReader(bytes)
        let (tensorCount, kvCount) = try readHeader()
        try readMetadata(count: kvCount)
        try readTensorInfos(count: tensorCount, fileSize: bytes.count)
    }

    // MARK: Header

    private mutating func readHeader() throws(GGUFError) -> (tensors: Int, keys: Int) {
        let magic = try reader.readBytes(4, "the file magic")
        guard magic == Array("GGUF".utf8) else { throw .badMagic(found: magic) }
        version = try reader.read(UInt32.self, "the format version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        let tensorOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self, "the tensor count")
        let kvOffset = reader.offset
        let kvCount = try reader.read(UInt64.self, "the metadata key count")
        let kvLimit = reader.remaining / Self.minimumKVSize
        guard kvCount <= UInt64(kvLimit) else {
            throw .countTooLarge(what: "the metadata key count", offset: kvOffset, count: kvCount, limit: kvLimit)
        }
        let keys = Int(kvCount)
        let tensorLimit = (reader.remaining - keys * Self.minimumKVSize) / Self.minimumTensorInfoSize
        guard tensorCount <= UInt64(tensorLimit) else {
            throw .countTooLarge(what: "the tensor count", offset: tensorOffset, count: tensorCount,
                                 limit: tensorLimit)
        }
        return (Int(tensorCount), keys)
    }

    // MARK: Metadata

    private mutating func readMetadata(count: Int) throws(GGUFError) {
        metadataKeys.reserveCapacity(count)
        metadata.reserveCapacity(count)
        for index in 0..<count {
            let keyOffset = reader.offset
            let key = try reader.readString("metadata key #\(index)", limit: Self.maxKeyLength)
            guard !key.isEmpty else { throw .emptyKey(index: index, offset: keyOffset) }
            guard metadata[key] == nil else { throw .duplicateKey(key: key, offset: keyOffset) }
            let typeOffset = reader.offset
            let rawType = try reader.read(UInt32.self, "the value type of key '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw .unknownValueType(key: key, offset: typeOffset, rawType: rawType)
            }
            let valueOffset = reader.offset
            let value = try readValue(type, key: key)
            if key == MetadataKey.alignment { alignment = try Self.validAlignment(value, offset: valueOffset) }
            metadataKeys.append(key)
            metadata[key] = value
        }
    }

    /// `general.alignment` must be a UINT32 power of two (as ggml requires).
    private static func validAlignment(_ value: GGUFValue, offset: Int) throws(GGUFError) -> Int {
        guard case .uint32(let raw) = value else {
            throw .invalidAlignment(found: "a value of type \(value.typeName)", offset: offset)
        }
        guard raw != 0, raw & (raw - 1) == 0 else { throw .invalidAlignment(found: "\(raw)", offset: offset) }
        return Int(raw)
    }

    private mutating func readValue(_ type: GGUFValueType, key: String) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, "the value of key '\(key)'"))
        case .int8: return .int8(try reader.read(Int8.self, "the value of key '\(key)'"))
        case .uint16: return .uint16(try reader.read(UInt16.self, "the value of key '\(key)'"))
        case .int16: return .int16(try reader.read(Int16.self, "the value of key '\(key)'"))
        case .uint32: return .uint32(try reader.read(UInt32.self, "the value of key '\(key)'"))
        case .int32: return .int32(try reader.read(Int32.self, "the value of key '\(key)'"))
        case .uint64: return .uint64(try reader.read(UInt64.self, "the value of key '\(key)'"))
        case .int64: return .int64(try reader.read(Int64.self, "the value of key '\(key)'"))
        case .float32:
            return .float32(Float(bitPattern: try reader.read(UInt32.self, "the value of key '\(key)'")))
        case .float64:
            return .float64(Double(bitPattern: try reader.read(UInt64.self, "the value of key '\(key)'")))
        case .bool:
            let offset = reader.offset
            let raw = try reader.read(UInt8.self, "the value of key '\(key)'")
            guard raw <= 1 else { throw .invalidBool(key: key, offset: offset, raw: raw) }
            return .bool(raw == 1)
        case .string:
            return .string(try reader.readString("the value of key '\(key)'"))
        case .array:
            return .array(try readArray(key: key, depth: 1))
        }
    }

    /// Reads an array header (element type, count) and its elements. The count is capped by what the remaining
    /// bytes could hold at the element type's minimum size, so a corrupt count never drives a huge allocation.
    private mutating func readArray(key: String, depth: Int) throws(GGUFError) -> GGUFArray {
        let start = reader.offset
        guard depth <= Self.maxArrayDepth else {
            throw .arrayNestingTooDeep(key: key, offset: start, limit: Self.maxArrayDepth)
        }
        let rawType = try reader.read(UInt32.self, "the element type of array '\(key)'")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw .unknownValueType(key: key, offset: start, rawType: rawType)
        }
        let countOffset = reader.offset
        let rawCount = try reader.read(UInt64.self, "the element count of array '\(key)'")
        let limit = reader.remaining / type.minimumSize
        guard rawCount <= UInt64(limit) else {
            throw .countTooLarge(what: "the element count of array '\(key)'", offset: countOffset,
                                 count: rawCount, limit: limit)
        }
        let count = Int(rawCount)
        let what = "the elements of array '\(key)'"
        switch type {
        case .uint8: return .uint8(try reader.readArray(of: UInt8.self, count: count, what))
        case .int8: return .int8(try reader.readArray(of: Int8.self, count: count, what))
        case .uint16: return .uint16(try reader.readArray(of: UInt16.self, count: count, what))
        case .int16: return .int16(try reader.readArray(of: Int16.self, count: count, what))
        case .uint32: return .uint32(try reader.readArray(of: UInt32.self, count: count, what))
        case .int32: return .int32(try reader.readArray(of: Int32.self, count: count, what))
        case .uint64: return .uint64(try reader.readArray(of: UInt64.self, count: count, what))
        case .int64: return .int64(try reader.readArray(of: Int64.self, count: count, what))
        case .float32:
            return .float32(try reader.readArray(of: UInt32.self, count: count, what).map(Float.init(bitPattern:)))
        case .float64:
            return .float64(try reader.readArray(of: UInt64.self, count: count, what).map(Double.init(bitPattern:)))
        case .bool:
            let offset = reader.offset
            let raw = try reader.readArray(of: UInt8.self, count: count, what)
            if let bad = raw.firstIndex(where: { $0 > 1 }) {
                throw .invalidBool(key: key, offset: offset + bad, raw: raw[bad])
            }
            return .bool(raw.map { $0 == 1 })
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(count)
            for index in 0..<count {
                strings.append(try reader.readString("element \(index) of array '\(key)'"))
            }
            return .string(strings)
        case .array:
            var arrays: [GGUFArray] = []
            arrays.reserveCapacity(count)
            for _ in 0..<count { arrays.append(try readArray(key: key, depth: depth + 1)) }
            return .array(arrays)
        }
    }

    // MARK: Tensor table

    private mutating func readTensorInfos(count: Int, fileSize: Int) throws(GGUFError) {
        var pending: [(info: TensorInfo, infoOffset: Int, rawOffset: UInt64, offsetField: Int)] = []
        pending.reserveCapacity(count)
        var names = Set<String>(minimumCapacity: count)
        for index in 0..<count {
            let infoOffset = reader.offset
            let name = try reader.readString("the name of tensor #\(index)", limit: Self.maxTensorNameLength)
            guard !name.isEmpty else { throw .invalidTensorName(name: name, offset: infoOffset) }
            guard names.insert(name).inserted else { throw .duplicateTensor(name: name, offset: infoOffset) }

            let dimsOffset = reader.offset
            let dimensionCount = try reader.read(UInt32.self, "the dimension count of tensor '\(name)'")
            guard (1...UInt32(TensorInfo.maxDimensions)).contains(dimensionCount) else {
                throw .invalidDimensionCount(tensor: name, offset: dimsOffset, count: dimensionCount)
            }
            var raw: [UInt64] = []
            for axis in 0..<Int(dimensionCount) {
                let offset = reader.offset
                let value = try reader.read(UInt64.self, "dimension \(axis) of tensor '\(name)'")
                guard value >= 1, value <= UInt64(Int64.max) else {
                    throw .invalidDimension(tensor: name, offset: offset, index: axis, value: value)
                }
                raw.append(value)
            }
            let dimensions = raw.map { Int($0) }
            var elements = 1
            for dimension in dimensions {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw .shapeOverflow(tensor: name, offset: dimsOffset, dimensions: raw) }
                elements = product
            }

            let typeOffset = reader.offset
            let rawType = try reader.read(UInt32.self, "the type of tensor '\(name)'")
            guard let type = TensorType(rawValue: rawType) else {
                throw .unknownTensorType(tensor: name, offset: typeOffset, rawType: rawType)
            }
            guard dimensions[0] % type.blockSize == 0 else {
                throw .rowNotMultipleOfBlock(tensor: name, offset: dimsOffset, type: type.name,
                                             rowLength: dimensions[0], blockSize: type.blockSize)
            }
            guard let byteCount = type.byteCount(elements: elements) else {
                throw .shapeOverflow(tensor: name, offset: dimsOffset, dimensions: raw)
            }
            let offsetField = reader.offset
            let rawOffset = try reader.read(UInt64.self, "the data offset of tensor '\(name)'")
            let info = TensorInfo(validatedName: name, dimensions: dimensions, type: type,
                                  offset: Int(clamping: rawOffset), elementCount: elements, byteCount: byteCount)
            pending.append((info, infoOffset, rawOffset, offsetField))
        }

        dataOffset = (reader.offset + alignment - 1) / alignment * alignment
        for entry in pending {
            let info = entry.info
            guard entry.rawOffset % UInt64(alignment) == 0 else {
                throw .misalignedTensor(tensor: info.name, offset: entry.offsetField, dataOffset: entry.rawOffset,
                                        alignment: alignment)
            }
            let (start, overflow) = UInt64(dataOffset).addingReportingOverflow(entry.rawOffset)
            let available = UInt64(fileSize)
            guard !overflow, start <= available, UInt64(info.byteCount) <= available - start else {
                throw .tensorOutOfBounds(tensor: info.name, offset: entry.infoOffset,
                                         start: overflow ? UInt64.max : start, byteCount: info.byteCount,
                                         fileSize: fileSize)
            }
            tensors.append(info)
        }
    }
}
