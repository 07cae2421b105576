// How each BPE family splits text into words before merging: llama.cpp's per-family regex lists, as stages
// of hand-written scanners over code points (no regex engine), with llama.cpp's exact quirks.

/// The word splitter of a BPE vocabulary (`tokenizer.ggml.pre`). Like llama.cpp, it applies a list of
/// stages; each stage re-splits every segment the previous stages produced (matches and the gaps between
/// them both become segments), and never looks across a segment boundary.
struct PreTokenizer: Sendable {
    /// One split pattern of a family's list.
    enum Stage: Sendable {
        /// GPT-2's `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)` (llama.cpp's
        /// custom scanner, including how `\s+(?!\S)` ends at a segment boundary).
        case gpt2
        /// Llama 3 / Qwen 2 / Qwen 3.5: case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`,
        /// `\p{N}{1,maxDigits}`, ` ?[^\s\p{L}\p{N}]+[\r\n]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`; `marks` adds
        /// \p{M} to letters (Qwen 3.5); without `contractions` the first alternative is absent (UFAKZEKA);
        /// without `trailingLineBreaks` punctuation runs do not take the line breaks after them (Seed-Coder);
        /// `cascadingSpaces` replaces `\s+(?!\S)|\s+` by `\s{512}(?!\S)|\s{256}(?!\S)|…|\s{4}(?!\S)|\s{1,2}(?!\S)|\s`
        /// (Jais 2).
        case llama3(maxDigits: Int, marks: Bool, contractions: Bool = true, trailingLineBreaks: Bool = true,
                    cascadingSpaces: Bool = false)
        /// GPT-4o / Llama 4 / Tekken (llama.cpp runs them through std::regex): letters split at case changes,
        /// `[^\r\n\p{L}\p{N}]?[Lu…]*[Ll…]+'s?|[^\r\n\p{L}\p{N}]?[Lu…]+[Ll…]*'s?`, `\p{N}{1,maxDigits}`,
        /// ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`. `marks` counts \p{M} as letters
        /// in the case classes (Granite embedding); `caseless` makes both case classes "any letter or mark"
        /// (Tiny Aya, whose `\p{Lu}`-style classes llama.cpp reads as plain \p{L}).
        case gpt4o(maxDigits: Int, contractions: Bool, marks: Bool, caseless: Bool = false)
        /// DeepSeek V3's main pattern: `[ASCII punct][A-Za-z]+`, `[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+`,
        /// ` ?[\p{P}\p{S}]+[\r\n]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
        case deepSeekV3
        /// AFMoE's digits: a run of numbers split into a leading group of (length mod 3), then groups of 3; the
        /// text before a run stays with its first group.
        case afmoeDigits
        /// `\p{N}{1,n}`: runs of numbers in groups of at most `n`, from the left.
        case numberGroups(Int)
        /// Every code point of the class on its own (`\p{N}`, `[\r\n]`).
        case isolate(CharacterClass)
        /// Maximal runs of the class (`[…]+`, `\p{N}+`); `negated` runs of everything outside it.
        case runs(CharacterClass, negated: Bool)
        /// An optional prefix code point, then a run of the class (`\s?\p{L}+`, ` ?[^…]+`).
        case prefixedRuns(prefix: CharacterClass, run: CharacterClass, negated: Bool)
        /// `\s+$`: the whitespace that ends a segment.
        case trailingWhitespace
        /// `[0-9][0-9][0-9]`: groups of three ASCII digits, from the left.
        case digitTriples
        /// `[^\n]+|[\n]+`: runs of newlines and runs of anything else.
        case newlines
    }

    /// The family name (`tokenizer.ggml.pre`).
    let name: String
    let stages: [Stage]
    /// Whether words are mapped to GPT-2's byte alphabet before merging (false for SentencePiece-style BPE).
    let byteEncode: Bool

    /// Flags llama.cpp sets per family when it loads the vocabulary.
    struct Family: Sendable {
        var stages: [Stage]?
        var byteEncode = true
        var ignoreMerges = false
        var addBOS = false
        var cleanSpaces = true
        var escapeWhitespaces = false
        var addSEP = false
        var clearBOS = false
    }

    /// The families this runtime can split, by `tokenizer.ggml.pre` name.
    static var supportedNames: [String] {
        knownNames.filter { family(named: $0)?.stages != nil }.sorted()
    }

    /// Every name llama.cpp accepts (those with no stages here are refused when a tokenizer is built).
    static let knownNames = [
        "default", "minicpm5", "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
        "lfm2", "jina-v5-nano", "deepseek-llm", "deepseek-coder", "deepseek-v3", "spark2_5", "youtu", "falcon",
        "mpt", "starcoder", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
        "a.x-4.0", "mellum", "modern-bert", "jais-2", "gemma4", "granite-embed-multi-311m", "sarvam-moe",
        "jina-v1-en", "jina-v2-code", "roberta-bpe", "whitespace", "refact", "command-r", "qwen2",
        "deepseek-r1-qwen", "kormo", "f2llmv2", "qwen35", "stablelm2", "olmo", "dbrx", "smaug-bpe", "poro-chat",
        "chatglm-bpe", "glm4", "glm5", "viking", "jais", "tekken", "smollm", "codeshell", "bloom", "gpt3-finnish",
        "exaone", "exaone4", "exaone-moe", "chameleon", "minerva-7b", "megrez", "gpt-4o", "llama4", "kanana2",
        "talkie", "granite-embed-multi-97m", "tiny_aya", "cohere2moe", "superbpe", "trillion", "granite-docling",
        "bailingmoe", "bailingmoe2", "llada-moe", "seed-coder", "hunyuan", "hunyuan-dense", "hy_v4", "joyai-llm",
        "kimi-k2", "ufakzeka", "grok-2", "afmoe", "laguna", "minimax-m2", "solar-open", "mellum2",
    ]

    // Stage lists shared by several families.
    private static let gpt2Stages: [Stage] = [.gpt2]
    private static let starCoderStages: [Stage] = [.isolate(.number), .gpt2]
    private static let llama3Stages: [Stage] = [.llama3(maxDigits: 3, marks: false)]
    private static let qwen2Stages: [Stage] = [.llama3(maxDigits: 1, marks: false)]
    private static let bloomStages: [Stage] = [.prefixedRuns(prefix: .asciiSpace, run: .bloomStops, negated: true)]

    /// llama.cpp's settings for a pre-tokenizer name, or nil when llama.cpp does not know the name either.
    static func family(named name: String) -> Family? {
        var f = Family()
        switch name {
        case "default":
            f.stages = [.runs(.punctuationAndASCIISymbols(includeBacktick: false), negated: false), .gpt2,
                        .runs(.number, negated: false), .digitTriples]
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "jina-v5-nano":
            f.stages = llama3Stages
            f.ignoreMerges = true
            f.addBOS = true
        case "dbrx", "smaug-bpe":
            f.stages = llama3Stages
        case "chatglm-bpe":
            f.stages = llama3Stages
            f.clearBOS = true
        case "glm4", "glm5":
            f.stages = llama3Stages
            f.clearBOS = true
            f.ignoreMerges = true
        case "deepseek-llm":
            f.stages = [
                .isolate(.lineBreaks),
                .prefixedRuns(prefix: .spaces, run: .deepSeekLetters, negated: false),
                .prefixedRuns(prefix: .spaces, run: .deepSeekPunctuation, negated: false),
                .trailingWhitespace,
                .runs(.deepSeekCJK, negated: false),
                .runs(.number, negated: false),
            ]
            f.cleanSpaces = false
        case "deepseek-coder":
            f.stages = [
                .isolate(.lineBreaks),
                .prefixedRuns(prefix: .spaces, run: .letter, negated: false),
                .prefixedRuns(prefix: .spaces, run: .punctuation, negated: false),
                .runs(.deepSeekCJK, negated: false),
                .isolate(.number),
            ]
            f.cleanSpaces = false
        case "falcon":
            f.stages = [.runs(.punctuationAndASCIISymbols(includeBacktick: true), negated: false), .gpt2,
                        .digitTriples]
        case "starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2":
            f.stages = starCoderStages
        case "command-r", "smollm":
            f.stages = starCoderStages
            f.cleanSpaces = false
        case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
             "modern-bert", "mpt", "olmo", "jais", "exaone4":
            f.stages = gpt2Stages
        case "trillion", "granite-docling":
            f.stages = gpt2Stages
            f.cleanSpaces = false
        case "jina-v1-en", "jina-v2-code", "roberta-bpe":
            f.stages = gpt2Stages
            f.addSEP = true
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open", "grok-2":
            f.stages = qwen2Stages
            f.cleanSpaces = false
        case "stablelm2", "megrez":
            f.stages = qwen2Stages
        case "qwen35":
            f.stages = [.llama3(maxDigits: 1, marks: true)]
            f.cleanSpaces = false
        case "gemma4", "granite-embed-multi-311m":
            f.stages = [.newlines]
            f.byteEncode = false
            f.escapeWhitespaces = true
        case "sarvam-moe":
            f.stages = [.newlines]
            f.byteEncode = false
            f.escapeWhitespaces = true
            f.cleanSpaces = false
        case "poro-chat":
            f.stages = bloomStages
            f.cleanSpaces = false
        case "bloom", "gpt3-finnish":
            f.stages = bloomStages
        case "viking":
            f.stages = bloomStages + [.isolate(.number)]
            f.cleanSpaces = false
        case "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2":
            f.stages = [.gpt4o(maxDigits: 3, contractions: true, marks: false)]
            f.cleanSpaces = false
        case "granite-embed-multi-97m":
            f.stages = [.gpt4o(maxDigits: 3, contractions: true, marks: true)]
            f.ignoreMerges = true
            f.cleanSpaces = false
        case "tekken":
            f.stages = [.gpt4o(maxDigits: 1, contractions: false, marks: false)]
            f.ignoreMerges = true
            f.addBOS = true
            f.cleanSpaces = false
        case "deepseek-v3", "hunyuan-dense", "joyai-llm", "hy_v4":
            f.stages = [.numberGroups(3), .runs(.cjkKana, negated: false), .deepSeekV3]
            f.cleanSpaces = false
        case "minicpm5":
            f.stages = [.numberGroups(3), .llama3(maxDigits: Int.max, marks: false)]
            f.ignoreMerges = true
            f.cleanSpaces = false
        case "ufakzeka":
            f.stages = [.llama3(maxDigits: 1, marks: false, contractions: false)]
            f.cleanSpaces = false
        case "seed-coder":
            f.stages = [.llama3(maxDigits: 1, marks: false, trailingLineBreaks: false)]
            f.cleanSpaces = false
        case "bailingmoe", "bailingmoe2", "llada-moe":
            f.stages = qwen2Stages
            f.cleanSpaces = false
        case "laguna":
            f.stages = [.newlines] + qwen2Stages
            f.cleanSpaces = false
        case "afmoe":
            f.stages = [.afmoeDigits, .runs(.afmoeScripts, negated: false), .deepSeekV3]
            f.cleanSpaces = false
        case "tiny_aya", "cohere2moe":
            f.stages = [.afmoeDigits, .gpt4o(maxDigits: 3, contractions: true, marks: true, caseless: true)]
            f.cleanSpaces = false
        case "youtu":
            f.ignoreMerges = true
            f.cleanSpaces = false
        case "chameleon":
            f.addBOS = true
            f.cleanSpaces = false
        case "jais-2":
            f.stages = [.llama3(maxDigits: 3, marks: false, cascadingSpaces: true)]
        case "whitespace", "exaone-moe":
            break
        case "spark2_5", "superbpe", "kimi-k2":
            f.cleanSpaces = false
        default:
            return nil
        }
        return f
    }

    /// The splitter for a family, or nil when this runtime does not implement it.
    init?(name: String) {
        guard let family = Self.family(named: name), let stages = family.stages else { return nil }
        self.name = name
        self.stages = stages
        self.byteEncode = family.byteEncode
    }
}
