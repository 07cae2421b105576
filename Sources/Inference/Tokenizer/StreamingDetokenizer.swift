// Turns generated tokens into text as they arrive, never printing half a character.

/// Incremental decoding for streaming output. A character whose UTF-8 bytes are spread over several tokens
/// (emoji, CJK in byte-level BPE, `<0xNN>` byte tokens) is held back until it is complete; bytes that can
/// never form a character come out as U+FFFD. The first token loses its leading space when the vocabulary
/// adds a space prefix (SentencePiece), as `Tokenizer.decode` does. Unlike `decode`, no clean-up of spaces
/// before punctuation is applied — it would need to see the future (llama.cpp streams the same way).
public struct StreamingDetokenizer: Sendable {
    public let tokenizer: Tokenizer
    /// Whether control tokens (`<|im_end|>`…) are rendered as their text.
    public let renderSpecial: Bool
    /// Bytes of an unfinished character.
    private var pending: [UInt8] = []
    private var first = true

    public init(tokenizer: Tokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds a token; returns the text that is now complete (possibly empty).
    public mutating func append(_ id: TokenID) -> String {
        var piece = tokenizer.pieceBytes(id, renderSpecial: renderSpecial)
        if first {
            first = false
            if tokenizer.vocabulary.addSpacePrefix, piece.first == 0x20 { piece.removeFirst() }
        }
        pending.append(contentsOf: piece)
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Flushes whatever is held back (an incomplete character becomes U+FFFD) and starts over.
    public mutating func finish() -> String {
        defer {
            pending = []
            first = true
        }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix that does not end inside a character that may still be completed.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // Look back at most 3 bytes for the start of the last sequence.
        var start = n - 1
        while start >= 0 && start > n - 4 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return n }
        let lead = bytes[start]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return n // ASCII, or a byte that never starts a character: nothing to wait for
        }
        let have = n - start
        return have < needed ? start : n
    }
}
