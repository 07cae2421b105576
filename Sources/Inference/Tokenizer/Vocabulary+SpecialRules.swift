// llama.cpp's load-time fix-ups of special tokens: roles detected from token text, end-of-generation set,
// and per-model token attributes. These decide which tokens are split out of text and which stop generation.

extension Vocabulary {
    /// Texts that make a token the end-of-turn token when the file names none (first present wins).
    static let endOfTurnTexts = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
        "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    static let endOfMessageTexts = ["<|eom_id|>"]
    static let fimPrefixTexts = [
        "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>",
        "<|prefix|>",
    ]
    static let fimSuffixTexts = [
        "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>",
        "<|suffix|>",
    ]
    static let fimMiddleTexts = [
        "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>",
        "<|middle|>",
    ]
    static let fimPadTexts = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]
    static let fimRepoTexts = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]
    static let fimSeparatorTexts = ["<|file_sep|>"]
    /// Texts that always end generation (llama.cpp's EOG list).
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>",
        "[e~[",
    ]
    /// gpt-oss tokens llama.cpp always renders (forced to user-defined).
    static let alwaysRenderedTexts: Set<String> = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"]

    /// The id of each piece among `texts`; a text present twice maps to its last id (llama.cpp's text→id map).
    func ids(of texts: Set<String>) -> [String: TokenID] {
        var found: [String: TokenID] = [:]
        for (index, piece) in pieces.enumerated() where texts.contains(piece) {
            found[piece] = TokenID(index)
        }
        return found
    }

    /// Role detection by text, the unused/always-rendered fix-ups and the end-of-generation set.
    mutating func applyTextRules() {
        let lists = [Self.endOfTurnTexts, Self.endOfMessageTexts, Self.fimPrefixTexts, Self.fimSuffixTexts,
                     Self.fimMiddleTexts, Self.fimPadTexts, Self.fimRepoTexts, Self.fimSeparatorTexts]
        let candidates = Set(lists.joined()).union(Self.endOfGenerationTexts).union(Self.alwaysRenderedTexts)
        let found = ids(of: candidates)

        func detect(_ role: WritableKeyPath<SpecialTokens, TokenID?>, _ texts: [String]) {
            guard special[keyPath: role] == nil else { return }
            for text in texts {
                if let id = found[text] {
                    special[keyPath: role] = id
                    attributes[Int(id)].insert(.control)
                    return
                }
            }
        }
        detect(\.eot, Self.endOfTurnTexts)
        detect(\.eom, Self.endOfMessageTexts)
        detect(\.fimPrefix, Self.fimPrefixTexts)
        detect(\.fimSuffix, Self.fimSuffixTexts)
        detect(\.fimMiddle, Self.fimMiddleTexts)
        detect(\.fimPad, Self.fimPadTexts)
        detect(\.fimRepo, Self.fimRepoTexts)
        detect(\.fimSeparator, Self.fimSeparatorTexts)

        // Control tokens named "unused…" are unused.
        for index in attributes.indices where attributes[index].contains(.control)
            && pieces[index].contains("unused") {
            attributes[index].insert(.unused)
        }

        var eog = Set<TokenID>()
        for id in [special.fimPad, special.fimRepo, special.fimSeparator].compactMap({ $0 }) { eog.insert(id) }
        for (text, id) in found where Self.endOfGenerationTexts.contains(text) {
            eog.insert(id)
            attributes[Int(id)].insert(.control)
        }
        for (text, id) in found where Self.alwaysRenderedTexts.contains(text) {
            attributes[Int(id)] = .userDefined
        }
        for id in [special.eos, special.eot, special.eom].compactMap({ $0 }) { eog.insert(id) }

        // o200k_harmony / solar-open: "<|end|>" is not the end of generation there.
        let eogTexts = Set(eog.map { pieces[Int($0)] })
        if let endID = eog.first(where: { pieces[Int($0)] == "<|end|>" }),
           (eogTexts.contains("<|return|>") && (eogTexts.contains("<|call|>") || eogTexts.contains("<|calls|>")))
            || ((eogTexts.contains("<|call|>") || eogTexts.contains("<|calls|>")) && eogTexts.contains("<|flush|>")) {
            eog.remove(endID)
            attributes[Int(endID)] = .userDefined
        }
        // Gemma 4 and PLaMo have an ordinary "</s>".
        if eogTexts.contains("<|tool_response>") || eogTexts.contains("<|plamo:eos|>"),
           let sID = eog.first(where: { pieces[Int($0)] == "</s>" }) {
            eog.remove(sID)
            attributes[Int(sID)] = .normal
        }
        endOfGeneration = eog
    }

    /// Attributes llama.cpp sets by model, pre-tokenizer or architecture name (they are not stored in GGUF).
    mutating func applyNameRules(generalName: String?, pre: String?, architecture: String?) {
        let modelName = (generalName ?? "").lowercased()
        let pre = pre ?? ""
        let architecture = architecture ?? ""
        let found = ids(of: ["<mask>", "[MASK]", "</s>", "<unk>", "<s>", "<|endoftext|>"])
        if ["jina-v2-de", "jina-v2-es", "jina-v2-code"].contains(where: { pre.contains($0) })
            || ["nomic-bert-moe", "jina-bert-v3"].contains(where: { architecture.contains($0) }) {
            if let id = found["<mask>"] { attributes[Int(id)].insert(.lstrip) }
        } else if modelName.contains("phi-3") || modelName.contains("phi3") {
            for index in attributes.indices where !attributes[index].isDisjoint(with: [.control, .userDefined, .unknown]) {
                attributes[index].insert(.rstrip)
            }
            if let id = found["</s>"] { attributes[Int(id)].insert(.rstrip) }
            for text in ["<unk>", "<s>", "<|endoftext|>"] {
                if let id = found[text] { attributes[Int(id)].remove(.rstrip) }
            }
        } else if modelName.contains("modern-bert") {
            if let id = found["[MASK]"] { attributes[Int(id)].insert(.lstrip) }
        }
    }
}
