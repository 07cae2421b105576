// A model's vocabulary: pieces, scores, token kinds, merges, special ids and flags, resolved from the GGUF
// tokenizer keys with the same defaults and fix-ups llama.cpp applies when it loads a model.

/// A token's index in the vocabulary (llama.cpp's `llama_token`).
public typealias TokenID = Int32

/// Everything a tokenizer needs to know about a model's vocabulary. Built from raw metadata by applying
/// llama.cpp's loading rules (per-family defaults, special tokens detected from their text, attribute
/// fix-ups), so that encoding with it reproduces llama.cpp's token ids.
public struct Vocabulary: Sendable {
    /// The tokenization algorithm.
    public enum Model: String, Sendable, Equatable {
        /// Byte-pair encoding with merge ranks (`gpt2`, also Gemma 4's `gemma4`).
        case bpe
        /// SentencePiece score-based merging with byte fallback (`llama`).
        case spm
        /// BERT WordPiece, greedy longest match (`bert`).
        case wordPiece
        /// SentencePiece Unigram, Viterbi over scores (`t5`).
        case unigram
    }

    /// The `tokenizer.ggml.model` values this runtime implements.
    public static let supportedModelNames = ["gpt2", "llama", "bert", "t5", "gemma4"]

    public var model: Model
    /// `tokenizer.ggml.model` as stored ("gpt2", "llama"…).
    public var modelName: String
    /// The pre-tokenizer family (`tokenizer.ggml.pre`; "default" when absent; "gemma4" for Gemma 4).
    public var preTokenizerName: String
    /// The text of each token (byte-level BPE pieces are in GPT-2's byte alphabet, SPM pieces use ▁).
    public var pieces: [String]
    /// Per-token scores (SentencePiece log-probabilities; 0 when the file has none).
    public var scores: [Float]
    /// Per-token kind and matching attributes.
    public var attributes: [TokenAttributes]
    /// BPE merge rules "left right"; a rule's rank is its index (lower merges first).
    public var merges: [String]
    public var special: SpecialTokens
    /// Tokens that end generation, as llama.cpp determines them (EOS, EOT, EOM and text-matched ones).
    public var endOfGeneration: Set<TokenID>
    /// Whether `encode(addSpecial: true)` prepends BOS / appends EOS / appends SEP.
    public var addBOS: Bool
    public var addEOS: Bool
    public var addSEP: Bool
    /// SentencePiece: prefix the text with a space (▁) before tokenizing.
    public var addSpacePrefix: Bool
    /// Unigram: collapse runs of spaces.
    public var removeExtraWhitespaces: Bool
    /// BPE: a word that is itself a token is emitted whole, without merging (Llama 3 and others).
    public var ignoreMerges: Bool
    /// Decoding removes spaces before punctuation and contractions (`clean_up_tokenization_spaces`).
    public var cleanSpaces: Bool
    /// Spaces are written as ▁ before tokenizing (SentencePiece-style vocabularies).
    public var escapeWhitespaces: Bool
    /// Unigram: the ▁ goes after words instead of before.
    public var treatWhitespaceAsSuffix: Bool
    /// WordPiece normalization (llama.cpp defaults both to true; strip_accents follows lowercase).
    public var lowercase: Bool
    public var stripAccents: Bool
    /// Unigram normalization table (`tokenizer.ggml.precompiled_charsmap`).
    public var precompiledCharsmap: [UInt8]
    /// `general.name`, kept for messages.
    public var name: String?

    /// Number of tokens.
    public var count: Int { pieces.count }

    /// Resolves raw tokenizer metadata the way llama.cpp's `llama_vocab::load` does.
    public init(metadata raw: VocabularyMetadata) throws(TokenizerError) {
        modelName = raw.model
        name = raw.generalName
        pieces = []
        scores = []
        attributes = []
        merges = []
        endOfGeneration = []
        addBOS = false
        addEOS = false
        addSEP = false
        addSpacePrefix = false
        removeExtraWhitespaces = false
        ignoreMerges = false
        cleanSpaces = false
        escapeWhitespaces = true
        treatWhitespaceAsSuffix = false
        lowercase = true
        stripAccents = true
        precompiledCharsmap = raw.precompiledCharsmap ?? []

        // Family defaults (llama.cpp: "determine vocab type").
        var defaults = SpecialTokens()
        var preName = raw.pre ?? ""
        switch raw.model {
        case "llama":
            model = .spm
            defaults = SpecialTokens(bos: 1, eos: 2, unk: 0)
        case "bert":
            model = .wordPiece
            defaults = SpecialTokens(bos: 101, unk: 100, sep: 102, pad: 0, mask: 103)
            addSEP = true
        case "gpt2", "gemma4":
            model = .bpe
            if raw.model == "gpt2" { defaults = SpecialTokens(bos: 11, eos: 11) } else { preName = "gemma4" }
            guard raw.merges != nil else { throw .missingKey("tokenizer.ggml.merges") }
        case "t5":
            model = .unigram
            defaults = SpecialTokens(eos: 1, unk: 2, pad: 0)
        default:
            throw .unsupportedModel(raw.model)
        }

        switch model {
        case .bpe:
            addSpacePrefix = false
            escapeWhitespaces = false
            cleanSpaces = true
            let name = preName.isEmpty ? "default" : preName
            guard let family = PreTokenizer.family(named: name) else {
                throw .unsupportedPreTokenizer(name, model: raw.model)
            }
            preName = name
            ignoreMerges = family.ignoreMerges
            if family.addBOS { addBOS = true }
            cleanSpaces = family.cleanSpaces
            escapeWhitespaces = family.escapeWhitespaces
            if family.addSEP { addSEP = true }
            if family.clearBOS { defaults.bos = nil }
        case .spm:
            preName = "default"
            addSpacePrefix = true
            cleanSpaces = false
            addBOS = true
            addEOS = false
        case .wordPiece:
            preName = "default"
            addSpacePrefix = false
            cleanSpaces = true
            addBOS = true
            addEOS = false
            addSEP = true
        case .unigram:
            preName = "default"
            addBOS = false
            addEOS = true
        }
        preTokenizerName = preName
        if let value = raw.addSpacePrefix { addSpacePrefix = value }
        if let value = raw.removeExtraWhitespaces { removeExtraWhitespaces = value }

        // Tokens, scores, kinds.
        let n = raw.tokens.count
        guard n > 0 else { throw .emptyVocabulary }
        if let s = raw.scores, s.count < n { throw .arrayTooShort(key: "tokenizer.ggml.scores", count: s.count, tokens: n) }
        if let t = raw.tokenTypes, t.count < n {
            throw .arrayTooShort(key: "tokenizer.ggml.token_type", count: t.count, tokens: n)
        }
        pieces = raw.tokens.enumerated().map { $0.element.isEmpty ? "[EMPTY_\($0.offset)]" : $0.element }
        scores = raw.scores.map { Array($0.prefix(n)) } ?? [Float](repeating: 0, count: n)
        attributes = raw.tokenTypes.map { $0.prefix(n).map { TokenAttributes(tokenType: $0) } }
            ?? [TokenAttributes](repeating: .normal, count: n)
        merges = raw.merges ?? []

        // Special ids: defaults out of range are disabled; a key out of range keeps the default.
        var special = defaults
        for key in VocabularyMetadata.specialIDKeys {
            if let id = special[key], Int(id) >= n { special[key] = nil }
            if let id = raw.specialIDs[key], id >= 0, id < n { special[key] = TokenID(id) }
        }
        if let value = raw.addBOS { addBOS = value }
        if let value = raw.addEOS { addEOS = value }
        if let value = raw.addSEP { addSEP = value }
        if preName == "gemma4" { addBOS = true }
        if let value = raw.lowercase { lowercase = value }
        stripAccents = raw.stripAccents ?? lowercase
        self.special = special

        applyTextRules()
        applyNameRules(generalName: raw.generalName, pre: raw.pre, architecture: raw.architecture)
    }

    /// Whether decoding hides this token unless asked to render specials (control and unknown tokens).
    public func isHiddenWhenDecoding(_ id: TokenID) -> Bool {
        guard id >= 0, Int(id) < attributes.count else { return true }
        return !attributes[Int(id)].isDisjoint(with: [.control, .unknown])
    }
}
