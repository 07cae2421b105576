// Turns ranges of Unicode code points into sequences of byte ranges, so that a character class becomes a small
// byte automaton that also follows tokens ending in the middle of a multi-byte character.

/// A code point range encoded as UTF-8: each element is the allowed range of one byte, in order.
typealias ByteRangeSequence = [ClosedRange<UInt8>]

enum UTF8Ranges {
    /// The largest code point; surrogates (D800–DFFF) are never encoded.
    static let maxScalar: UInt32 = 0x10FFFF

    /// The byte-range sequences that together encode exactly the valid scalars in `ranges` (or outside, if negated).
    static func sequences(for ranges: [ClosedRange<UInt32>], negated: Bool) -> [ByteRangeSequence] {
        var normalized = merge(ranges.map { min($0.lowerBound, maxScalar)...min($0.upperBound, maxScalar) })
        if negated { normalized = complement(normalized) }
        normalized = normalized.flatMap(removeSurrogates)
        return normalized.flatMap { encode($0.lowerBound, $0.upperBound) }
    }

    /// Sorted, non-overlapping, non-adjacent ranges.
    static func merge(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            if r.upperBound >= maxScalar { return out }
            next = r.upperBound + 1
        }
        if next <= maxScalar { out.append(next...maxScalar) }
        return out
    }

    static func removeSurrogates(_ r: ClosedRange<UInt32>) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        if r.lowerBound < 0xD800 { out.append(r.lowerBound...min(r.upperBound, 0xD7FF)) }
        if r.upperBound > 0xDFFF { out.append(max(r.lowerBound, 0xE000)...r.upperBound) }
        return out
    }

    /// Splits `lo...hi` until every piece has one encoded length and independent byte ranges, then encodes it.
    static func encode(_ lo: UInt32, _ hi: UInt32) -> [ByteRangeSequence] {
        var out: [ByteRangeSequence] = []
        var work: [(UInt32, UInt32)] = [(lo, hi)]
        outer: while let (a, b) = work.popLast() {
            // Split at the boundaries between encoded lengths.
            for boundary: UInt32 in [0x7F, 0x7FF, 0xFFFF] where a <= boundary && b > boundary {
                work.append((boundary + 1, b))
                work.append((a, boundary))
                continue outer
            }
            let length = encodedLength(a)
            if length > 1 {
                for i in 1..<length {
                    let m: UInt32 = (1 << (6 * UInt32(i))) - 1
                    if a & ~m != b & ~m {
                        if a & m != 0 {
                            work.append(((a | m) + 1, b))
                            work.append((a, a | m))
                            continue outer
                        }
                        if b & m != m {
                            work.append((b & ~m, b))
                            work.append((a, (b & ~m) - 1))
                            continue outer
                        }
                    }
                }
            }
            let ea = utf8(a), eb = utf8(b)
            out.append(zip(ea, eb).map { $0...$1 })
        }
        return out
    }

    static func encodedLength(_ v: UInt32) -> Int {
        v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
    }

    static func utf8(_ v: UInt32) -> [UInt8] {
        switch encodedLength(v) {
        case 1: return [UInt8(v)]
        case 2: return [UInt8(0xC0 | (v >> 6)), UInt8(0x80 | (v & 0x3F))]
        case 3: return [UInt8(0xE0 | (v >> 12)), UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
        default:
            return [UInt8(0xF0 | (v >> 18)), UInt8(0x80 | ((v >> 12) & 0x3F)),
                    UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
        }
    }
}
