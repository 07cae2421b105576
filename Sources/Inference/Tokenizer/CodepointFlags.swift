// Unicode category flags of code points, as llama.cpp's pre-tokenizers see them (\p{L}, \p{N}, \s…).

/// The categories llama.cpp's splitters test, one bit each (its `unicode_cpt_flags`). Derived from Swift's
/// Unicode properties, but frozen at Unicode 15.1 — the version of llama.cpp's tables — so that a letter
/// added in a later Unicode version splits as "undefined" exactly as it does in llama.cpp.
enum CodepointFlags {
    static let undefined: UInt16 = 0x0001
    static let number: UInt16 = 0x0002
    static let letter: UInt16 = 0x0004
    static let separator: UInt16 = 0x0008
    static let mark: UInt16 = 0x0010
    static let punctuation: UInt16 = 0x0020
    static let symbol: UInt16 = 0x0040
    static let control: UInt16 = 0x0080
    static let whitespace: UInt16 = 0x0100

    /// Unicode version of llama.cpp's category tables (`unicode-data.cpp`).
    static let unicodeVersion = (major: 15, minor: 1)

    /// Flags of every BMP code point, computed once (the rest are computed on demand: they are rare).
    static let basicPlane: [UInt16] = (0..<0x10000).map { compute(UInt32($0)) }

    /// The flags of `cp`; 0 for values beyond U+10FFFF (llama.cpp's "out of range").
    @inline(__always)
    static func of(_ cp: UInt32) -> UInt16 {
        cp < 0x10000 ? basicPlane[Int(cp)] : compute(cp)
    }

    /// llama.cpp's `\s`: Unicode White_Space (which Swift's `isWhitespace` is).
    static func isWhitespace(_ cp: UInt32) -> Bool {
        switch cp {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func compute(_ cp: UInt32) -> UInt16 {
        if cp > 0x10FFFF { return 0 }
        guard let scalar = Unicode.Scalar(cp) else { return control } // surrogates are Cs
        let whitespaceBit = isWhitespace(cp) ? whitespace : 0
        let properties = scalar.properties
        if let age = properties.age,
           age.major > unicodeVersion.major || (age.major == unicodeVersion.major && age.minor > unicodeVersion.minor) {
            return undefined | whitespaceBit
        }
        let category: UInt16
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: category = letter
        case .decimalNumber, .letterNumber, .otherNumber: category = number
        case .nonspacingMark, .spacingMark, .enclosingMark: category = mark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: category = punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: category = symbol
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: category = separator
        case .control, .format, .privateUse, .surrogate: category = control
        case .unassigned: category = undefined
        @unknown default: category = undefined
        }
        return category | whitespaceBit
    }
}
