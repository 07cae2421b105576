// BERT-style WordPiece (`bert` vocabularies): normalize, split on whitespace and punctuation, then greedy
// longest-match pieces per word, as llama.cpp's WPM session.
import Foundation

/// Greedy longest-match tokenization of BERT vocabularies.
struct WordPieceEncoder: Sendable {
    let pieces: PieceIndex
    let unknown: TokenID?
    let lowercase: Bool
    let stripAccents: Bool
    /// Longest piece, in bytes (bounds the match search).
    let maxPieceLength: Int

    init(vocabulary: Vocabulary, pieces: PieceIndex) {
        self.pieces = pieces
        unknown = vocabulary.special.unk
        lowercase = vocabulary.lowercase
        stripAccents = vocabulary.stripAccents
        maxPieceLength = vocabulary.pieces.reduce(0) { max($0, $1.utf8.count) }
    }

    /// CJK ideographs, which BERT splits into single-character words (llama.cpp's ranges).
    static func isChinese(_ cp: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(cp) || (0x3400...0x4DBF).contains(cp) || (0x20000...0x2A6DF).contains(cp)
            || (0x2A700...0x2B73F).contains(cp) || (0x2B740...0x2B81F).contains(cp)
            || (0x2B920...0x2CEAF).contains(cp) || (0xF900...0xFAFF).contains(cp) || (0x2F800...0x2FA1F).contains(cp)
    }

    /// The first code point of `cp`'s canonical decomposition (llama.cpp keeps only that one).
    static func decomposedBase(_ cp: UInt32) -> UInt32 {
        guard cp >= 0xC0, let scalar = Unicode.Scalar(cp) else { return cp }
        let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping
        return decomposed.unicodeScalars.first?.value ?? cp
    }

    /// Simple (one-to-one) lowercase mapping.
    static func lowercased(_ cp: UInt32) -> UInt32 {
        if cp < 0x80 { return cp >= 0x41 && cp <= 0x5A ? cp + 0x20 : cp }
        if cp == 0x130 { return 0x69 }
        guard let scalar = Unicode.Scalar(cp) else { return cp }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first?.value ?? cp : cp
    }

    /// Normalized words of `text`.
    func words(_ text: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        var words: [[UInt8]] = [[]]
        var offset = 0
        while offset < text.count {
            let (decoded, length) = UTF8Codec.decode(text, at: offset)
            offset += length
            let cp = stripAccents ? Self.decomposedBase(decoded) : decoded
            let flags = CodepointFlags.of(cp)
            if flags & CodepointFlags.whitespace != 0 {
                if !(words.last?.isEmpty ?? true) { words.append([]) }
                continue
            }
            if cp == 0 || cp == 0xFFFD || flags & CodepointFlags.control != 0 { continue }
            if stripAccents && flags & CodepointFlags.mark != 0 { continue }
            var bytes: [UInt8] = []
            UTF8Codec.append(lowercase ? Self.lowercased(cp) : cp, to: &bytes)
            if flags & CodepointFlags.punctuation != 0 || (cp < 0x7F && flags & CodepointFlags.symbol != 0)
                || Self.isChinese(cp) {
                if !(words.last?.isEmpty ?? true) { words.append([]) }
                words[words.count - 1] = bytes
                words.append([])
            } else {
                words[words.count - 1].append(contentsOf: bytes)
            }
        }
        if words.last?.isEmpty ?? false { words.removeLast() }
        return words
    }

    /// Appends the pieces of `text`; a word with no complete cover becomes the unknown token.
    func encode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [TokenID]) {
        for word in words(text) where !word.isEmpty {
            let spelled: [UInt8] = [0xE2, 0x96, 0x81] + word
            let n = spelled.count
            let before = output.count
            spelled.withUnsafeBufferPointer { w in
                var i = 0
                while i < n {
                    var matched = false
                    var j = min(n, i + maxPieceLength + 1)
                    while j > i {
                        if let id = pieces.lookup(UnsafeBufferPointer(rebasing: w[i..<j])) {
                            output.append(id)
                            matched = true
                            i = j
                            break
                        }
                        j -= 1
                    }
                    if !matched {
                        output.removeSubrange(before...)
                        break
                    }
                }
            }
            if output.count == before, let unknown { output.append(unknown) }
        }
    }
}
