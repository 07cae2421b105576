// A bounds-checked little-endian cursor over GGUF bytes. With MappedFile, the only place in this target that
// reads through raw pointers; every read checks the remaining length before touching memory or allocating.

/// Reads GGUF primitives from a byte buffer, front to back. Each read names what it is reading (an autoclosure,
/// so the name is only built when an error is thrown) and fails with `GGUFError.truncated` at the exact offset
/// instead of reading past the end.
struct ByteReader {
    /// The longest string accepted anywhere (1 GiB); a chat template or a merges entry is far below this.
    static let maxStringLength = 1 << 30

    private let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read, from the start of the buffer.
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left after `offset`.
    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes exist.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        guard count <= remaining else {
            throw .truncated(what: what(), offset: offset, needed: count, available: remaining)
        }
    }

    /// Reads one little-endian integer.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        try require(MemoryLayout<T>.size, what())
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    /// Reads the next `count` bytes as they are.
    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) -> [UInt8] {
        try require(count, what())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return Array(slice)
    }

    /// Reads a GGUF string: a u64 byte length, then that many bytes of UTF-8 (no terminator). The length is
    /// checked against `limit`, the 1 GiB cap and the bytes remaining before anything is allocated.
    mutating func readString(_ what: @autoclosure () -> String, limit: Int = maxStringLength) throws(GGUFError)
        -> String {
        let start = offset
        let length = try read(UInt64.self, what())
        let allowed = min(limit, Self.maxStringLength, remaining)
        guard length <= UInt64(allowed) else {
            throw .stringTooLong(what: what(), offset: start, length: length, limit: allowed)
        }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        guard UTF8Validation.isValid(slice) else { throw .invalidUTF8(what: what(), offset: start) }
        offset += count
        return String(decoding: slice, as: UTF8.self)
    }

    /// Reads `count` fixed-size little-endian values into a Swift array with one copy. The caller has checked
    /// `count` against `remaining`; this checks again so a mistake cannot read past the end.
    mutating func readArray<T: FixedWidthInteger>(of _: T.Type, count: Int, _ what: @autoclosure () -> String)
        throws(GGUFError) -> [T] {
        let (size, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        guard !overflow, count >= 0 else {
            throw .truncated(what: what(), offset: offset, needed: Int.max, available: remaining)
        }
        try require(size, what())
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            initialized = count
        }
        offset += size
        #if _endian(big)
        return values.map { T(littleEndian: $0) }
        #else
        return values
        #endif
    }
}

// MARK: - UTF-8

/// Checks bytes are well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF), which
/// `String(decoding:)` would silently repair. ASCII runs, the bulk of any vocabulary, take a fast path.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowest: UInt8 = 0x80, highest: UInt8 = 0xBF  // allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lowest, second <= highest else { return false }
            var next = index + 2
            while next < index + length {
                guard bytes[next] & 0xC0 == 0x80 else { return false }
                next += 1
            }
            index += length
        }
        return true
    }
}
