// GPT-2's reversible byte-to-character mapping, used by byte-level BPE vocabularies for their pieces.

/// Byte-level BPE writes every byte as a printable character (space → Ġ, newline → Ċ…), so pieces are
/// strings over a 256-character alphabet. Printable Latin-1 bytes stand for themselves; the others map, in
/// byte order, to U+0100 and up.
enum ByteLevelAlphabet {
    /// The character (code point) that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The UTF-8 encoding of each byte's character.
    static let utf8ForByte: [[UInt8]] = scalarForByte.map { scalar in
        var bytes: [UInt8] = []
        UTF8Codec.append(scalar, to: &bytes)
        return bytes
    }

    /// The byte a character stands for, or nil when it is not in the alphabet (index: code point < 0x144).
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// The byte `scalar` stands for, or nil when it is not one of the 256 characters.
    @inline(__always)
    static func byte(for scalar: UInt32) -> UInt8? {
        guard scalar < 0x144 else { return nil }
        let value = byteForScalar[Int(scalar)]
        return value < 0 ? nil : UInt8(value)
    }
}
