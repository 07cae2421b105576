// Minimal UTF-8 decoding and encoding over byte buffers, with llama.cpp's lenient rules for bad input.

/// UTF-8 helpers for the tokenizer's hot loops, which work on bytes and code points rather than `String`.
enum UTF8Codec {
    /// Length of the sequence a lead byte starts, by its high nibble (llama.cpp's `unicode_len_utf8`:
    /// continuation bytes count as 1).
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// Number of bytes UTF-8 takes for `cp`.
    @inline(__always)
    static func encodedLength(_ cp: UInt32) -> Int {
        cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    }

    /// Appends the UTF-8 encoding of `cp`.
    @inline(__always)
    static func append(_ cp: UInt32, to bytes: inout [UInt8]) {
        if cp < 0x80 {
            bytes.append(UInt8(cp))
        } else if cp < 0x800 {
            bytes.append(UInt8(0xC0 | (cp >> 6)))
            bytes.append(UInt8(0x80 | (cp & 0x3F)))
        } else if cp < 0x10000 {
            bytes.append(UInt8(0xE0 | (cp >> 12)))
            bytes.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (cp & 0x3F)))
        } else {
            bytes.append(UInt8(0xF0 | (cp >> 18)))
            bytes.append(UInt8(0x80 | ((cp >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (cp & 0x3F)))
        }
    }

    /// Decodes the code point at `offset`, returning it and its length. Invalid sequences decode as U+FFFD
    /// of length 1 (llama.cpp's `unicode_cpts_from_utf8`).
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (scalar: UInt32, length: Int) {
        let b0 = bytes[offset]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let remaining = bytes.count - offset
        @inline(__always) func cont(_ i: Int) -> UInt32? {
            let b = bytes[offset + i]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        if b0 & 0xE0 == 0xC0 {
            if remaining >= 2, let c1 = cont(1) { return ((UInt32(b0 & 0x1F) << 6) | c1, 2) }
        } else if b0 & 0xF0 == 0xE0 {
            if remaining >= 3, let c1 = cont(1), let c2 = cont(2) {
                return ((UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2, 3)
            }
        } else if b0 & 0xF8 == 0xF0 {
            if remaining >= 4, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
                return ((UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
            }
        }
        return (0xFFFD, 1)
    }
}
