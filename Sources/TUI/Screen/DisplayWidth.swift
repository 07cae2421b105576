// How many terminal columns a grapheme takes: 0, 1 or 2. Our own tables, not libc's wcwidth, so results do not
// depend on the locale or C library and tests are deterministic on Linux and macOS alike.

/// Display width of graphemes and strings, as terminals lay them out.
///
/// Rules (wcwidth-like, per grapheme cluster rather than per code point, because that is what a cursor moves by):
/// - control characters are 0 wide (callers expand or drop them before drawing);
/// - combining marks, enclosing marks, format characters (ZWJ, ZWNJ…), variation selectors and Hangul medial
///   vowels/final consonants add nothing to the base they attach to;
/// - East Asian Wide and Fullwidth characters and emoji with emoji presentation are 2 wide;
/// - a text-default emoji followed by VS16 (U+FE0F) becomes 2 wide, and VS15 (U+FE0E) forces text width 1;
/// - a ZWJ sequence, an emoji with a skin-tone modifier, a keycap and a flag (regional-indicator pair) are 2 wide.
public enum DisplayWidth {
    /// Width of one grapheme cluster.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return of(scalar: first) }
        if first.value == 0x0D { return 0 }  // "\r\n" is one grapheme
        var hasVS16 = false
        var hasVS15 = false
        var hasZWJ = false
        var hasKeycap = false
        var hasModifier = false
        var regionalIndicators = 0
        var anyEmojiPresentation = false
        for s in scalars {
            switch s.value {
            case 0xFE0F: hasVS16 = true
            case 0xFE0E: hasVS15 = true
            case 0x200D: hasZWJ = true
            case 0x20E3: hasKeycap = true
            case 0x1F3FB...0x1F3FF: hasModifier = true
            case 0x1F1E6...0x1F1FF: regionalIndicators += 1
            default: break
            }
            if isEmojiPresentation(s) { anyEmojiPresentation = true }
        }
        let base = of(scalar: first)
        if hasVS15 && !hasZWJ { return min(base, 1) == 0 ? 0 : 1 }
        if regionalIndicators >= 2 { return 2 }
        if hasKeycap { return 2 }
        if hasVS16 && first.properties.isEmoji { return 2 }
        if hasZWJ && (anyEmojiPresentation || hasVS16) { return 2 }
        if hasModifier && first.properties.isEmoji { return 2 }
        return base
    }

    /// Width of a string: the sum of its graphemes' widths.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text { total += of(c) }
        return total
    }

    /// Width of one code point standing alone.
    public static func of(scalar s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }  // Latin-1 and Latin Extended hold no marks or wide characters
        if isZeroWidth(s) { return 0 }
        if isWide(v) || isEmojiPresentation(s) { return 2 }
        return 1
    }

    /// True for code points that attach to the previous one and take no column of their own.
    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0x200B || v == 0x200C || v == 0x200D || v == 0x2060 || v == 0xFEFF { return true }
        if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return true }  // variation selectors
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }  // Hangul medial/final jamo
        if (0xE0000...0xE007F).contains(v) { return true }  // tags (used in subdivision flags)
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return v != 0xAD && !(0x600...0x605).contains(v) && v != 0x6DD && v != 0x110BD
        default: return false
        }
    }

    /// Emoji whose default presentation is graphical (2 columns in modern terminals).
    static func isEmojiPresentation(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0x231A && s.properties.isEmojiPresentation
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt, outside emoji (handled by
    /// the emoji-presentation property).
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1AFF0...0x1B2FF, 0x1F200...0x1F202,
        0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x20000...0x2FFFD,
        0x30000...0x3FFFD,
    ]

    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0
        var hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound {
                hi = mid - 1
            } else if v > r.upperBound {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
