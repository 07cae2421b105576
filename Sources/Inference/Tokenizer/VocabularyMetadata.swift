// The tokenizer.* keys of a GGUF file exactly as stored, before llama.cpp's loading rules are applied.

/// The raw tokenizer metadata of a model: one field per GGUF key, `nil` when the key is absent.
/// `Vocabulary(metadata:)` turns it into a vocabulary with llama.cpp's defaults and fix-ups; keeping the raw
/// form separate lets tests build small vocabularies without writing a GGUF file.
public struct VocabularyMetadata: Sendable, Equatable {
    /// `tokenizer.ggml.model`: "gpt2", "llama", "bert", "t5", "gemma4"…
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer family ("smollm", "llama-bpe", "qwen2"…).
    public var pre: String?
    /// `tokenizer.ggml.tokens`.
    public var tokens: [String]
    /// `tokenizer.ggml.scores` (SentencePiece log-probabilities; Unigram scores).
    public var scores: [Float]?
    /// `tokenizer.ggml.token_type` (llama.cpp's `llama_token_type` codes).
    public var tokenTypes: [Int]?
    /// `tokenizer.ggml.merges`: "left right" per line, in rank order.
    public var merges: [String]?
    /// Special token ids keyed by llama.cpp's key suffix: "bos", "eos", "eot", "eom", "unknown", "seperator",
    /// "padding", "mask", "fim_pre", "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep", "prefix",
    /// "suffix", "middle" (the GGUF key is `tokenizer.ggml.<suffix>_token_id`).
    public var specialIDs: [String: Int]
    /// `tokenizer.ggml.add_bos_token`.
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`.
    public var addEOS: Bool?
    /// `tokenizer.ggml.add_sep_token`.
    public var addSEP: Bool?
    /// `tokenizer.ggml.add_space_prefix`.
    public var addSpacePrefix: Bool?
    /// `tokenizer.ggml.remove_extra_whitespaces`.
    public var removeExtraWhitespaces: Bool?
    /// `tokenizer.ggml.normalizer.lowercase` (WordPiece).
    public var lowercase: Bool?
    /// `tokenizer.ggml.normalizer.strip_accents` (WordPiece).
    public var stripAccents: Bool?
    /// `tokenizer.ggml.precompiled_charsmap` (Unigram normalization table).
    public var precompiledCharsmap: [UInt8]?
    /// `general.name`: llama.cpp keys a few token attributes on it (Phi-3's right-stripping specials).
    public var generalName: String?
    /// `general.architecture`.
    public var architecture: String?

    /// The special-id key suffixes `specialIDs` understands, in the order llama.cpp applies them (the
    /// deprecated "prefix"/"suffix"/"middle" keys come last and override the FIM ids).
    public static let specialIDKeys = [
        "bos", "eos", "eot", "eom", "unknown", "seperator", "padding", "mask",
        "fim_pre", "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep", "prefix", "suffix", "middle",
    ]

    public init(model: String, pre: String? = nil, tokens: [String], scores: [Float]? = nil,
                tokenTypes: [Int]? = nil, merges: [String]? = nil, specialIDs: [String: Int] = [:],
                addBOS: Bool? = nil, addEOS: Bool? = nil, addSEP: Bool? = nil, addSpacePrefix: Bool? = nil,
                removeExtraWhitespaces: Bool? = nil, lowercase: Bool? = nil, stripAccents: Bool? = nil,
                precompiledCharsmap: [UInt8]? = nil, generalName: String? = nil, architecture: String? = nil) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.specialIDs = specialIDs
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSEP = addSEP
        self.addSpacePrefix = addSpacePrefix
        self.removeExtraWhitespaces = removeExtraWhitespaces
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.precompiledCharsmap = precompiledCharsmap
        self.generalName = generalName
        self.architecture = architecture
    }
}
