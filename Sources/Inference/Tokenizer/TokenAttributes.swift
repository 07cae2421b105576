// What kind of token a vocabulary entry is (normal, control, byte…), as llama.cpp's token attributes.

/// The kind of a vocabulary entry and how special-token matching treats it. Bits match llama.cpp's
/// `llama_token_attr`, so behaviour keyed on them (which tokens are split out of text, which are rendered
/// when decoding, which strip neighbouring spaces) carries over exactly.
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let unknown = TokenAttributes(rawValue: 1 << 0)
    public static let unused = TokenAttributes(rawValue: 1 << 1)
    public static let normal = TokenAttributes(rawValue: 1 << 2)
    /// Control tokens (BOS, `<|im_end|>`…): recognised in text only when parsing specials, hidden when decoding.
    public static let control = TokenAttributes(rawValue: 1 << 3)
    /// Added tokens that are always split out of text before the model's own splitting.
    public static let userDefined = TokenAttributes(rawValue: 1 << 4)
    /// `<0xNN>` byte-fallback tokens.
    public static let byte = TokenAttributes(rawValue: 1 << 5)
    public static let normalized = TokenAttributes(rawValue: 1 << 6)
    /// Whitespace before the token's text is swallowed when it is split out of text.
    public static let lstrip = TokenAttributes(rawValue: 1 << 7)
    /// Whitespace after the token's text is swallowed when it is split out of text.
    public static let rstrip = TokenAttributes(rawValue: 1 << 8)
    public static let singleWord = TokenAttributes(rawValue: 1 << 9)

    /// The attributes of a GGUF `tokenizer.ggml.token_type` value (llama.cpp's `llama_token_type`):
    /// 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte; anything else is undefined (empty).
    public init(tokenType: Int) {
        switch tokenType {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = []
        }
    }
}
