// Reading a vocabulary from a GGUF file's tokenizer.* keys.
import GGUF

extension VocabularyMetadata {
    /// The tokenizer keys of `file`, as stored. Absent optional keys become nil; a key of the wrong type
    /// is an error naming it.
    public init(gguf file: GGUFFile) throws(TokenizerError) {
        func read<T>(_ key: String, _ get: (String) throws(GGUFError) -> T) throws(TokenizerError) -> T {
            do { return try get(key) } catch { throw TokenizerError.from(error, key: key) }
        }
        let model = try read("tokenizer.ggml.model", file.string)
        let tokens = try read("tokenizer.ggml.tokens", file.stringArray)
        self.init(model: model, tokens: tokens)
        pre = try read("tokenizer.ggml.pre", file.optionalString)
        scores = try read("tokenizer.ggml.scores", file.optionalFloatArray)
        tokenTypes = try read("tokenizer.ggml.token_type", file.optionalIntArray)
        merges = try read("tokenizer.ggml.merges", file.optionalStringArray)
        for suffix in Self.specialIDKeys {
            let key = "tokenizer.ggml.\(suffix)_token_id"
            if let id = try read(key, file.optionalInt) { specialIDs[suffix] = id }
        }
        addBOS = try read("tokenizer.ggml.add_bos_token", file.optionalBool)
        addEOS = try read("tokenizer.ggml.add_eos_token", file.optionalBool)
        addSEP = try read("tokenizer.ggml.add_sep_token", file.optionalBool)
        addSpacePrefix = try read("tokenizer.ggml.add_space_prefix", file.optionalBool)
        removeExtraWhitespaces = try read("tokenizer.ggml.remove_extra_whitespaces", file.optionalBool)
        lowercase = try read("tokenizer.ggml.normalizer.lowercase", file.optionalBool)
        stripAccents = try read("tokenizer.ggml.normalizer.strip_accents", file.optionalBool)
        if let value = file.value("tokenizer.ggml.precompiled_charsmap") {
            switch value.arrayValue {
            case .uint8(let bytes)?: precompiledCharsmap = bytes
            case .int8(let bytes)?: precompiledCharsmap = bytes.map { UInt8(bitPattern: $0) }
            default:
                throw .invalidMetadata(key: "tokenizer.ggml.precompiled_charsmap",
                                       reason: "expected an array of bytes, found \(value.typeName)")
            }
        }
        generalName = try read("general.name", file.optionalString)
        architecture = try read("general.architecture", file.optionalString)
    }
}

extension Vocabulary {
    /// The vocabulary of a GGUF model (or vocabulary-only) file, resolved as llama.cpp loads it.
    public init(gguf file: GGUFFile) throws(TokenizerError) {
        try self.init(metadata: VocabularyMetadata(gguf: file))
    }
}

extension Tokenizer {
    /// The tokenizer of a GGUF file.
    public init(gguf file: GGUFFile) throws(TokenizerError) {
        try self.init(vocabulary: Vocabulary(gguf: file))
    }
}

extension TokenizerError {
    /// A GGUF lookup failure as the tokenizer's error, keeping the key and the reader's explanation.
    static func from(_ error: GGUFError, key: String) -> TokenizerError {
        if case .missingKey(let missing) = error { return .missingKey(missing) }
        return .invalidMetadata(key: key, reason: error.description)
    }
}
