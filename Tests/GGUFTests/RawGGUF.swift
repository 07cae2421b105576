// Hand-assembled GGUF bytes for tests that need files our writer refuses to produce (corrupt on purpose).

/// Appends little-endian fields one by one, so a test states exactly which bytes are wrong.
struct RawGGUF {
    var bytes: [UInt8] = []

    /// Magic, version and the two counts.
    static func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) -> RawGGUF {
        var raw = RawGGUF()
        raw.append(Array("GGUF".utf8))
        raw.u32(version)
        raw.u64(tensors)
        raw.u64(keys)
        return raw
    }

    mutating func append(_ raw: [UInt8]) { bytes += raw }
    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
    mutating func u64(_ value: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
    mutating func string(_ text: String) {
        u64(UInt64(text.utf8.count))
        append(Array(text.utf8))
    }

    /// A key with a UINT32 value.
    mutating func keyUInt32(_ key: String, _ value: UInt32) {
        string(key)
        u32(4)
        u32(value)
    }

    /// A tensor info.
    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        dims.forEach { u64($0) }
        u32(type)
        u64(offset)
    }

    /// Zero padding up to a multiple of `alignment`, then `count` data bytes.
    mutating func data(_ count: Int, alignment: Int = 32) {
        append([UInt8](repeating: 0, count: (alignment - bytes.count % alignment) % alignment))
        append([UInt8](repeating: 0x55, count: count))
    }
}
