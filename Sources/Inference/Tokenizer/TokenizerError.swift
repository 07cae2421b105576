// Everything that can stop a tokenizer from being built: an unknown model or pre-tokenizer, missing or
// inconsistent vocabulary metadata. Encoding and decoding themselves never fail.
import Foundation

/// Why a vocabulary could not be read or a tokenizer could not be built. Each case names the key, the token
/// index or the name at fault, and `description` says what is wrong and what to do.
public enum TokenizerError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// `tokenizer.ggml.model` names a tokenizer this runtime does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this runtime does not implement (`model` gives context).
    case unsupportedPreTokenizer(String, model: String)
    /// A key the tokenizer needs is absent.
    case missingKey(String)
    /// A metadata value could not be read as the type the tokenizer needs (the GGUF reader's explanation).
    case invalidMetadata(key: String, reason: String)
    /// A per-token array is shorter than `tokenizer.ggml.tokens`.
    case arrayTooShort(key: String, count: Int, tokens: Int)
    /// The vocabulary has no tokens at all.
    case emptyVocabulary
    /// A special-token id (BOS, EOS…) the model needs lies outside the vocabulary.
    case specialTokenOutOfRange(key: String, id: Int, tokens: Int)
    /// A BPE merge rule that is not two pieces separated by a space.
    case badMerge(index: Int, text: String)
    /// A byte-fallback tokenizer lacks the token for one of the 256 bytes.
    case missingByteToken(UInt8)
    /// The Unigram normalization table (`tokenizer.ggml.precompiled_charsmap`) is malformed.
    case badCharsmap(reason: String)

    public var description: String {
        switch self {
        case .unsupportedModel(let name):
            return "unsupported tokenizer model '\(name)' (tokenizer.ggml.model): Tokenworks implements "
                + "\(Vocabulary.supportedModelNames.joined(separator: ", ")); use a model converted with one of those"
        case .unsupportedPreTokenizer(let name, let model):
            return "unsupported pre-tokenizer '\(name)' (tokenizer.ggml.pre) for tokenizer model '\(model)': "
                + "Tokenworks does not know how this family splits text; use a model whose pre-tokenizer is one of "
                + PreTokenizer.supportedNames.joined(separator: ", ")
        case .missingKey(let key):
            return "the vocabulary has no '\(key)' key: the GGUF file was not converted with a tokenizer; "
                + "re-convert it with llama.cpp's convert_hf_to_gguf.py"
        case .invalidMetadata(let key, let reason):
            return "cannot read tokenizer key '\(key)': \(reason)"
        case .arrayTooShort(let key, let count, let tokens):
            return "'\(key)' has \(count) entries but the vocabulary has \(tokens) tokens: the file is corrupt; "
                + "re-convert or download it again"
        case .emptyVocabulary:
            return "the vocabulary (tokenizer.ggml.tokens) is empty: the file is corrupt; download it again"
        case .specialTokenOutOfRange(let key, let id, let tokens):
            return "'\(key)' is \(id) but the vocabulary has only \(tokens) tokens: the file is corrupt; "
                + "re-convert or download it again"
        case .badMerge(let index, let text):
            return "BPE merge #\(index) '\(text)' is not two pieces separated by a space "
                + "(tokenizer.ggml.merges): the file is corrupt; re-convert or download it again"
        case .missingByteToken(let byte):
            return "the vocabulary has no token for byte 0x\(String(byte, radix: 16, uppercase: true)) "
                + "(expected '<0x\(String(format: "%02X", byte))>'): this tokenizer needs all 256 byte tokens; "
                + "re-convert the model"
        case .badCharsmap(let reason):
            return "tokenizer.ggml.precompiled_charsmap is malformed (\(reason)): re-convert the model"
        }
    }

    public var errorDescription: String? { description }
}
