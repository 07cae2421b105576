// Decoding: the bytes each token stands for (llama.cpp's token_to_piece) and whole-sequence decoding with
// llama.cpp's leading-space and clean-up rules (llama_detokenize).

extension Tokenizer {
    /// The bytes token `id` stands for: byte-level pieces mapped back to bytes, ▁ to spaces, `<0xNN>` to
    /// the byte. Control and unknown tokens give nothing unless `renderSpecial`; ids outside the
    /// vocabulary give nothing.
    public func pieceBytes(_ id: TokenID, renderSpecial: Bool = false) -> [UInt8] {
        guard id >= 0, Int(id) < vocabulary.count else { return [] }
        if !renderSpecial && vocabulary.isHiddenWhenDecoding(id) { return [] }
        return Array(decodedBytes[Int(decodedOffsets[Int(id)])..<Int(decodedOffsets[Int(id) + 1])])
    }

    /// Decodes ids into text as `llama_detokenize` (no special removal): SentencePiece's leading space
    /// is dropped from the first token, and vocabularies that ask for it get llama.cpp's space clean-up
    /// (" ," → ","…). Bytes that are not valid UTF-8 become U+FFFD.
    public func decode(_ ids: [TokenID], renderSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        var stripLeadingSpace = vocabulary.addSpacePrefix
        for id in ids {
            guard id >= 0, Int(id) < vocabulary.count else { continue }
            var piece = decodedBytes[Int(decodedOffsets[Int(id)])..<Int(decodedOffsets[Int(id) + 1])]
            if !renderSpecial && vocabulary.isHiddenWhenDecoding(id) { piece = [] }
            if stripLeadingSpace, piece.first == 0x20 { piece = piece.dropFirst() }
            stripLeadingSpace = false
            bytes.append(contentsOf: piece)
        }
        if vocabulary.cleanSpaces { bytes = Self.cleanSpaces(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// llama.cpp's `clean_up_tokenization_spaces`: drops the space before `? ! . ,`, around a lone `'`,
    /// and before `'s 'm 're 've`.
    static func cleanSpaces(_ text: [UInt8]) -> [UInt8] {
        guard text.count > 1 else { return text }
        let space: UInt8 = 0x20, quote: UInt8 = 0x27
        // Pass 1: " ?", " !", " .", " ,".
        var a: [UInt8] = [text[0]]
        for i in 1..<text.count {
            let x = text[i]
            if text[i - 1] == space && (x == 0x3F || x == 0x21 || x == 0x2E || x == 0x2C) { a.removeLast() }
            a.append(x)
        }
        // Pass 2: " ' " → "'". llama.cpp blanks the swallowed space in place, so a following quote does
        // not see a space before it.
        var b: [UInt8] = a.isEmpty ? [] : [a[0]]
        var i = 1
        while i < a.count {
            let x = a[i]
            if x == quote && i + 1 < a.count && a[i - 1] == space && a[i + 1] == space {
                b.removeLast()
                a[i + 1] = 0
                b.append(x)
                i += 2
                continue
            }
            b.append(x)
            i += 1
        }
        // Pass 3: " 's", " 'm", " 're", " 've".
        var c: [UInt8] = b.isEmpty ? [] : [b[0]]
        for i in 1..<max(b.count, 1) {
            let x = b[i]
            if b[i - 1] == space && x == quote && i + 1 < b.count {
                let x1 = b[i + 1]
                if x1 == 0x73 || x1 == 0x6D {
                    c.removeLast()
                } else if i + 2 < b.count, (x1 == 0x72 || x1 == 0x76) && b[i + 2] == 0x65 {
                    c.removeLast()
                }
            }
            c.append(x)
        }
        return c
    }

    /// Each token's bytes with specials rendered (llama.cpp's `token_to_piece(special: true)`).
    static func decodeTable(_ vocabulary: Vocabulary) -> ([UInt8], [Int32]) {
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(vocabulary.count + 1)
        let byteLevel = vocabulary.model == .bpe && !vocabulary.escapeWhitespaces
        for (index, piece) in vocabulary.pieces.enumerated() {
            let attributes = vocabulary.attributes[index]
            if !attributes.isDisjoint(with: [.unknown, .control, .userDefined]) {
                bytes.append(contentsOf: piece.utf8)
            } else if attributes.contains(.normal) {
                if byteLevel {
                    appendByteLevelDecoded(piece, to: &bytes)
                } else {
                    appendUnescaped(piece, to: &bytes)
                }
            } else if attributes.contains(.byte), vocabulary.model != .wordPiece {
                if let byte = hexByte(piece) { bytes.append(byte) }
            }
            offsets.append(Int32(bytes.count))
        }
        return (bytes, offsets)
    }

    /// Maps a byte-level piece back to bytes; characters outside the alphabet are written as llama.cpp
    /// does (`[UNK_BYTE_0x…]`).
    static func appendByteLevelDecoded(_ piece: String, to bytes: inout [UInt8]) {
        for scalar in piece.unicodeScalars {
            if let byte = ByteLevelAlphabet.byte(for: scalar.value) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: "[UNK_BYTE_0x".utf8)
                var utf8: [UInt8] = []
                UTF8Codec.append(scalar.value, to: &utf8)
                for b in utf8 {
                    let hex = String(b, radix: 16)
                    bytes.append(contentsOf: (hex.count == 1 ? "0" + hex : hex).utf8)
                }
                bytes.append(contentsOf: piece.utf8)
                bytes.append(0x5D)
            }
        }
    }

    /// ▁ (U+2581) → space.
    static func appendUnescaped(_ piece: String, to bytes: inout [UInt8]) {
        let utf8 = Array(piece.utf8)
        var i = 0
        while i < utf8.count {
            if i + 2 < utf8.count && utf8[i] == 0xE2 && utf8[i + 1] == 0x96 && utf8[i + 2] == 0x81 {
                bytes.append(0x20)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
    }

    /// The byte of a `<0xNN>` piece (llama.cpp reads characters 3 and 4 as hex).
    static func hexByte(_ piece: String) -> UInt8? {
        let utf8 = Array(piece.utf8)
        guard utf8.count >= 5 else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }
}
