// The runtime's tokenizer: text ↔ token ids, matching llama.cpp token for token (llama_tokenize and
// llama_detokenize semantics) for byte-level BPE, SentencePiece, WordPiece and Unigram vocabularies.

/// Encodes text into token ids and decodes ids back into text for one model's vocabulary.
///
/// Building one precomputes lookup tables (piece index, interned BPE merges, special-token trie, decoded
/// pieces); encoding works on UTF-8 bytes and code points, never on `Character`s, and caches BPE results
/// per distinct word within a call.
public struct Tokenizer: Sendable {
    public private(set) var vocabulary: Vocabulary
    /// Piece bytes → id (last id wins for repeated pieces, as llama.cpp).
    let pieces: PieceIndex
    let specials: SpecialTokenSplitter
    /// BPE vocabularies: the merge rules and the word splitter.
    let merger: BPEMerger?
    let preTokenizer: PreTokenizer?
    /// SentencePiece and Unigram: the token of each byte (`<0xNN>`, else the one-byte piece), or -1.
    let byteTokens: [Int32]
    /// WordPiece and Unigram models.
    let wordPiece: WordPieceEncoder?
    let unigram: UnigramEncoder?
    /// What each token decodes to with specials rendered (llama.cpp's piece cache), back to back.
    let decodedBytes: [UInt8]
    let decodedOffsets: [Int32]

    /// Builds the tokenizer of a vocabulary. Throws when its model or pre-tokenizer is not implemented.
    public init(vocabulary: Vocabulary) throws(TokenizerError) {
        self.vocabulary = vocabulary
        pieces = PieceIndex(pieces: vocabulary.pieces)
        specials = SpecialTokenSplitter(vocabulary: vocabulary)
        var byteTokens = [Int32](repeating: -1, count: 256)
        var merger: BPEMerger?
        var preTokenizer: PreTokenizer?
        var wordPiece: WordPieceEncoder?
        var unigram: UnigramEncoder?
        switch vocabulary.model {
        case .bpe:
            guard let splitter = PreTokenizer(name: vocabulary.preTokenizerName) else {
                throw .unsupportedPreTokenizer(vocabulary.preTokenizerName, model: vocabulary.modelName)
            }
            preTokenizer = splitter
            merger = try BPEMerger(merges: vocabulary.merges, pieces: pieces, tokenCount: vocabulary.count)
            for byte in 0..<256 {
                byteTokens[byte] = splitter.byteEncode
                    ? pieces.lookup([UInt8(byte)]) ?? -1
                    : pieces.lookup(Array(Self.hexByteToken(UInt8(byte)).utf8)) ?? -1
            }
        case .spm, .unigram:
            for byte in 0..<256 {
                byteTokens[byte] = pieces.lookup(Array(Self.hexByteToken(UInt8(byte)).utf8))
                    ?? pieces.lookup([UInt8(byte)]) ?? -1
            }
            if vocabulary.model == .unigram {
                unigram = try UnigramEncoder(vocabulary: vocabulary)
            }
        case .wordPiece:
            wordPiece = WordPieceEncoder(vocabulary: vocabulary, pieces: pieces)
        }
        self.byteTokens = byteTokens
        self.merger = merger
        self.preTokenizer = preTokenizer
        self.wordPiece = wordPiece
        self.unigram = unigram
        (decodedBytes, decodedOffsets) = Self.decodeTable(vocabulary)
    }

    /// The `<0xNN>` text of a byte-fallback token.
    static func hexByteToken(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])>"
    }

    /// Number of tokens in the vocabulary.
    public var count: Int { vocabulary.count }
    public var bos: TokenID? { vocabulary.special.bos }
    public var eos: TokenID? { vocabulary.special.eos }

    /// Whether generating `id` ends the turn (EOS, EOT, EOM and the text-matched end tokens llama.cpp uses,
    /// such as `<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`, `<end_of_turn>`).
    public func isEndOfGeneration(_ id: TokenID) -> Bool {
        vocabulary.endOfGeneration.contains(id)
    }

    /// The id of the token whose piece is exactly `piece` (the last one when several share it).
    public func id(of piece: String) -> TokenID? {
        pieces.lookup(Array(piece.utf8))
    }

    /// Encodes `text` as `llama_tokenize` does: `addSpecial` adds BOS/EOS (and WordPiece's CLS/SEP) as the
    /// vocabulary asks; `parseSpecial` lets control-token texts (`<|im_start|>`…) in `text` become those
    /// tokens — user-defined tokens are always recognised, as in llama.cpp.
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = true) -> [TokenID] {
        var text = text
        return text.withUTF8 { encode(utf8: $0, addSpecial: addSpecial, parseSpecial: parseSpecial) }
    }

    /// `encode` over UTF-8 bytes (invalid sequences are read as U+FFFD, one per bad byte, as in llama.cpp).
    public func encode(utf8 bytes: UnsafeBufferPointer<UInt8>, addSpecial: Bool = true,
                       parseSpecial: Bool = true) -> [TokenID] {
        var output: [TokenID] = []
        output.reserveCapacity(bytes.count / 3 + 4)
        let fragments = specials.split(bytes, parseSpecial: parseSpecial)
        let v = vocabulary
        switch v.model {
        case .bpe:
            if addSpecial && v.addBOS, let bos = v.special.bos { output.append(bos) }
            var scratch = BPEScratch()
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                case .text(let range):
                    let slice = UnsafeBufferPointer(rebasing: bytes[range])
                    if v.escapeWhitespaces {
                        let escaped = Self.escapeSpaces(slice, prefixSpace: false)
                        escaped.withUnsafeBufferPointer { encodeBPE($0, into: &output, &scratch) }
                    } else {
                        encodeBPE(slice, into: &output, &scratch)
                    }
                }
            }
            if addSpecial && v.addEOS, let eos = v.special.eos { output.append(eos) }
        case .spm:
            if addSpecial && v.addBOS, let bos = v.special.bos { output.append(bos) }
            var scratch = SentencePieceMerger.Scratch()
            var previousIsSpecial = true
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                    previousIsSpecial = true
                case .text(let range):
                    let escaped = Self.escapeSpaces(UnsafeBufferPointer(rebasing: bytes[range]),
                                                    prefixSpace: v.addSpacePrefix && previousIsSpecial)
                    escaped.withUnsafeBufferPointer {
                        SentencePieceMerger.encode($0, pieces: pieces, scores: v.scores, byteTokens: byteTokens,
                                                   fallback: v.special.unk, output: &output, scratch: &scratch)
                    }
                    previousIsSpecial = false
                }
            }
            if addSpecial && v.addEOS, let eos = v.special.eos { output.append(eos) }
        case .wordPiece:
            if addSpecial, let bos = v.special.bos { output.append(bos) }
            for fragment in fragments {
                switch fragment {
                case .token(let id): output.append(id)
                case .text(let range): wordPiece?.encode(UnsafeBufferPointer(rebasing: bytes[range]), into: &output)
                }
            }
            if addSpecial, let sep = v.special.sep { output.append(sep) }
        case .unigram:
            if addSpecial && v.addBOS, let bos = v.special.bos { output.append(bos) }
            for fragment in fragments {
                switch fragment {
                case .token(let id): output.append(id)
                case .text(let range): unigram?.encode(UnsafeBufferPointer(rebasing: bytes[range]), into: &output)
                }
            }
            if addSpecial && v.addEOS, let eos = v.special.eos { output.append(eos) }
        }
        return output
    }

    /// Replaces every space with ▁ (U+2581), optionally prefixing one.
    static func escapeSpaces(_ text: UnsafeBufferPointer<UInt8>, prefixSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 2 + 3)
        if prefixSpace { out.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for byte in text {
            if byte == 0x20 { out.append(contentsOf: [0xE2, 0x96, 0x81]) } else { out.append(byte) }
        }
        return out
    }
}
