// A compiled context-free grammar over bytes: each rule is a small automaton whose edges read one byte from a
// range or call another rule. This is what `GrammarMatcher` runs; it is immutable and shared by every sequence.

/// A compiled grammar, made by `GrammarBuilder.build`, `Grammar(gbnf:)` or `JSONSchemaGrammar`. Equatable by
/// structure, so it can travel inside `Equatable` request parameters.
///
/// Rules are kept as separate automata (rather than one flattened automaton) because recursion — JSON values
/// inside arrays inside objects — needs a stack; everything regular inside a rule (literals, classes, `*`, `?`)
/// is a loop inside that rule's automaton, so the recognizer's stacks stay shallow and repeat, which is what
/// makes its per-state caches hit.
public struct Grammar: Sendable, Equatable {
    struct ByteEdge: Sendable, Equatable { var lo: UInt8; var hi: UInt8; var target: Int32 }
    struct CallEdge: Sendable, Equatable { var rule: Int32; var target: Int32 }

    /// A state of one rule's automaton.
    struct Node: Sendable, Equatable {
        var rule: Int32
        var byteEdges: [ByteEdge] = []
        var callEdges: [CallEdge] = []
        /// Reaching this node completes the rule (for a counted rule: completes one repetition).
        var isFinal = false
    }

    /// One rule. A counted rule is `body{min,max}` with a large bound: its stack frame carries the repetition
    /// count instead of the body being unrolled `max` times.
    struct Rule: Sendable, Equatable {
        var name: String
        var start: Int32
        var isCounted = false
        var repeatMin: UInt32 = 0
        /// `Grammar.unbounded` when there is no upper bound.
        var repeatMax: UInt32 = 0
        /// Bytes that can come right after this rule completes, anywhere in the grammar (FOLLOW set).
        var follow = ByteSet()
    }

    static let unbounded = UInt32.max

    var nodes: [Node]
    var rules: [Rule]
    var root: Int32

    /// Names of the rules, generated helper rules included.
    public var ruleNames: [String] { rules.map(\.name) }

    /// Parses GBNF text (llama.cpp's grammar format) whose start rule is `root`.
    public init(gbnf text: String, root: String = "root") throws(GrammarError) {
        var parser = GBNFParser(text)
        let builder = try parser.parse()
        self = try builder.build(root: root)
    }

    init(nodes: [Node], rules: [Rule], root: Int32) {
        self.nodes = nodes
        self.rules = rules
        self.root = root
    }

    /// Whether the whole of `text` is a sentence of the grammar.
    public func matches(_ text: String) -> Bool { matches(bytes: Array(text.utf8)) }

    /// Whether the whole byte string is a sentence of the grammar.
    public func matches(bytes: [UInt8]) -> Bool {
        var m = GrammarMatcher(grammar: self, vocabulary: GrammarVocabulary(pieces: []))
        return m.accept(bytes: bytes) && m.canEnd
    }

    /// Whether `bytes` can be continued into a sentence (a prefix of one, or one).
    public func acceptsPrefix(_ bytes: [UInt8]) -> Bool {
        var m = GrammarMatcher(grammar: self, vocabulary: GrammarVocabulary(pieces: []))
        return m.accept(bytes: bytes)
    }
}

/// A set of bytes as four 64-bit words.
struct ByteSet: Sendable, Equatable, Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (a: ByteSet, b: ByteSet) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    func hash(into h: inout Hasher) {
        h.combine(words.0); h.combine(words.1); h.combine(words.2); h.combine(words.3)
    }

    init() {}

    /// The bytes `lo...hi`.
    init(_ lo: UInt8, _ hi: UInt8) {
        func word(_ w: Int) -> UInt64 {
            let base = w * 64
            let a = max(Int(lo), base), b = min(Int(hi), base + 63)
            guard a <= b else { return 0 }
            let width = b - a + 1
            let bits: UInt64 = width == 64 ? .max : ((1 << UInt64(width)) - 1)
            return bits << UInt64(a - base)
        }
        words = (word(0), word(1), word(2), word(3))
    }

    static let all = ByteSet(0, 255)

    func intersection(_ o: ByteSet) -> ByteSet {
        var r = ByteSet()
        r.words = (words.0 & o.words.0, words.1 & o.words.1, words.2 & o.words.2, words.3 & o.words.3)
        return r
    }

    func subtracting(_ o: ByteSet) -> ByteSet {
        var r = ByteSet()
        r.words = (words.0 & ~o.words.0, words.1 & ~o.words.1, words.2 & ~o.words.2, words.3 & ~o.words.3)
        return r
    }

    /// The members in increasing order.
    var members: [UInt8] {
        var out: [UInt8] = []
        for (i, w) in [words.0, words.1, words.2, words.3].enumerated() {
            var bits = w
            while bits != 0 {
                out.append(UInt8(i * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return out
    }

    func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    mutating func insert(_ lo: UInt8, _ hi: UInt8) {
        var b = Int(lo)
        while b <= Int(hi) { insert(UInt8(b)); b += 1 }
    }

    /// Adds the other set's bytes; returns whether anything was added.
    @discardableResult
    mutating func formUnion(_ o: ByteSet) -> Bool {
        let before = self
        words.0 |= o.words.0; words.1 |= o.words.1; words.2 |= o.words.2; words.3 |= o.words.3
        return before != self
    }
}
