// Appends GGUF primitives (little-endian integers, length-prefixed strings, typed values) to a byte array.
// The inverse of ByteReader; used by GGUFWriter for the header, metadata and tensor table.

/// Builds GGUF bytes in memory. Plain shifts, no pointers: headers are small (a few MB at most, for vocabularies).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        var remaining = value  // shifts see the value, not its memory: little-endian on any host
        for _ in 0..<MemoryLayout<T>.size {
            bytes.append(UInt8(truncatingIfNeeded: remaining))
            remaining = remaining >> 8
        }
    }

    /// Raw bytes, as they are.
    mutating func write(contentsOf raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// A GGUF string: u64 byte length, then the UTF-8 bytes.
    mutating func write(_ string: String) {
        write(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    mutating func write(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): write(v)
        case .int8(let v): write(v)
        case .uint16(let v): write(v)
        case .int16(let v): write(v)
        case .uint32(let v): write(v)
        case .int32(let v): write(v)
        case .uint64(let v): write(v)
        case .int64(let v): write(v)
        case .float32(let v): write(v.bitPattern)
        case .float64(let v): write(v.bitPattern)
        case .bool(let v): write(UInt8(v ? 1 : 0))
        case .string(let v): write(v)
        case .array(let v): write(v)
        }
    }

    /// An array: element type u32, count u64, then the elements.
    mutating func write(_ array: GGUFArray) {
        write(array.elementType.rawValue)
        write(UInt64(array.count))
        switch array {
        case .uint8(let a): bytes.append(contentsOf: a)
        case .int8(let a): a.forEach { write($0) }
        case .uint16(let a): a.forEach { write($0) }
        case .int16(let a): a.forEach { write($0) }
        case .uint32(let a): a.forEach { write($0) }
        case .int32(let a): a.forEach { write($0) }
        case .uint64(let a): a.forEach { write($0) }
        case .int64(let a): a.forEach { write($0) }
        case .float32(let a): a.forEach { write($0.bitPattern) }
        case .float64(let a): a.forEach { write($0.bitPattern) }
        case .bool(let a): a.forEach { write(UInt8($0 ? 1 : 0)) }
        case .string(let a): a.forEach { write($0) }
        case .array(let a): a.forEach { write($0) }
        }
    }

    /// Zero bytes up to the next multiple of `alignment` (a power of two; anything else pads nothing).
    mutating func pad(to alignment: Int) {
        bytes.append(contentsOf: repeatElement(0, count: ByteWriter.padding(bytes.count, alignment)))
    }

    /// Zero bytes needed after `size` to reach a multiple of `alignment` (0 for an alignment that is not a
    /// positive power of two, so a broken setting never divides by zero).
    static func padding(_ size: Int, _ alignment: Int) -> Int {
        guard alignment > 0, alignment & (alignment - 1) == 0 else { return 0 }
        return (alignment - size % alignment) % alignment
    }
}
