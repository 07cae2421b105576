// The ids of a vocabulary's special tokens (BOS, EOS, end-of-turn, fill-in-the-middle…).

/// Token ids with a role, as llama.cpp resolves them: from the GGUF keys, else the tokenizer family's
/// defaults, else detected from the token text (`<|im_end|>` as end-of-turn, `<|fim_prefix|>` as FIM prefix…).
/// `nil` means the vocabulary has no such token.
public struct SpecialTokens: Sendable, Equatable {
    public var bos: TokenID?
    public var eos: TokenID?
    /// End of turn (`<|im_end|>`, `<|eot_id|>`, `<end_of_turn>`…).
    public var eot: TokenID?
    /// End of message (Llama 3.1's `<|eom_id|>`).
    public var eom: TokenID?
    public var unk: TokenID?
    public var sep: TokenID?
    public var pad: TokenID?
    public var mask: TokenID?
    public var fimPrefix: TokenID?
    public var fimSuffix: TokenID?
    public var fimMiddle: TokenID?
    public var fimPad: TokenID?
    public var fimRepo: TokenID?
    public var fimSeparator: TokenID?

    public init(bos: TokenID? = nil, eos: TokenID? = nil, eot: TokenID? = nil, eom: TokenID? = nil,
                unk: TokenID? = nil, sep: TokenID? = nil, pad: TokenID? = nil, mask: TokenID? = nil,
                fimPrefix: TokenID? = nil, fimSuffix: TokenID? = nil, fimMiddle: TokenID? = nil,
                fimPad: TokenID? = nil, fimRepo: TokenID? = nil, fimSeparator: TokenID? = nil) {
        self.bos = bos
        self.eos = eos
        self.eot = eot
        self.eom = eom
        self.unk = unk
        self.sep = sep
        self.pad = pad
        self.mask = mask
        self.fimPrefix = fimPrefix
        self.fimSuffix = fimSuffix
        self.fimMiddle = fimMiddle
        self.fimPad = fimPad
        self.fimRepo = fimRepo
        self.fimSeparator = fimSeparator
    }

    /// The id stored under a `VocabularyMetadata.specialIDs` key suffix ("bos", "eot", "fim_pre"…).
    subscript(key: String) -> TokenID? {
        get {
            switch key {
            case "bos": return bos
            case "eos": return eos
            case "eot": return eot
            case "eom": return eom
            case "unknown": return unk
            case "seperator": return sep
            case "padding": return pad
            case "mask": return mask
            case "fim_pre", "prefix": return fimPrefix
            case "fim_suf", "suffix": return fimSuffix
            case "fim_mid", "middle": return fimMiddle
            case "fim_pad": return fimPad
            case "fim_rep": return fimRepo
            case "fim_sep": return fimSeparator
            default: return nil
            }
        }
        set {
            switch key {
            case "bos": bos = newValue
            case "eos": eos = newValue
            case "eot": eot = newValue
            case "eom": eom = newValue
            case "unknown": unk = newValue
            case "seperator": sep = newValue
            case "padding": pad = newValue
            case "mask": mask = newValue
            case "fim_pre", "prefix": fimPrefix = newValue
            case "fim_suf", "suffix": fimSuffix = newValue
            case "fim_mid", "middle": fimMiddle = newValue
            case "fim_pad": fimPad = newValue
            case "fim_rep": fimRepo = newValue
            case "fim_sep": fimSeparator = newValue
            default: break
            }
        }
    }
}
