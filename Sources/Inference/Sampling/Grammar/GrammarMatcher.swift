// The per-sequence recognizer: which bytes and tokens a grammar allows next, and advancing over chosen tokens.
// Token masks come from a cache keyed by the top frame of each stack, so the cost per token is a union of
// cached bit sets plus a few short walks, not a scan of the vocabulary.

/// The state of one sequence under a grammar. A value: copy it to explore alternatives.
///
/// How `allowedTokens` stays cheap: for each stack in the state, the tokens that can be read entirely inside the
/// stack's top frame depend only on that frame, so they are computed once (a pruned walk of the vocabulary trie)
/// and cached. Tokens that would leave the top frame — close a string, then continue with `,` — are recorded as
/// trie nodes and re-walked against the real rest of the stack; the rule's FOLLOW set keeps that list short. A
/// repetition counter far from its bounds is cached as "free", so a bounded string shares one entry for
/// all its characters.
public struct GrammarMatcher: Sendable {
    public let grammar: Grammar
    public let vocabulary: GrammarVocabulary
    private var table: GrammarStateTable
    private var state: Int32
    private var cache: [UInt64: CacheEntry] = [:]
    private var depthStates: [Int32]
    /// Tokens of at most k bytes, by k, made on first use.
    private var shortTokens: [Int: TokenMask] = [:]

    /// The tokens a top frame allows by itself, and the trie nodes whose subtrees need the rest of the stack.
    struct CacheEntry: Sendable {
        var accepted: TokenMask
        var leaving: [Int32]
    }

    /// When the lazy state table grows past this many states it is rebuilt from the current state.
    static let stateLimit = 20_000

    public init(grammar: Grammar, vocabulary: GrammarVocabulary) {
        self.grammar = grammar
        self.vocabulary = vocabulary
        self.table = GrammarStateTable(grammar: grammar)
        self.depthStates = Array(repeating: 0, count: vocabulary.maxDepth + 2)
        let root = grammar.rules[Int(grammar.root)]
        self.state = table.closedState(of: [GrammarStateTable.frame(node: root.start, counter: 0)])
    }

    /// Whether the output so far is a complete sentence (end of generation is allowed).
    public var canEnd: Bool { state >= 0 && table.hasEmpty[Int(state)] }

    /// Whether the output is complete and nothing else may follow: the grammar is finished.
    public var isComplete: Bool { state >= 0 && table.stacks[Int(state)] == [[]] }

    /// Advances over a token; returns false (and changes nothing) if the grammar does not allow it.
    /// An end-of-generation token is accepted exactly when the grammar can end.
    public mutating func accept(_ token: TokenID) -> Bool {
        if vocabulary.isEndOfGeneration(token) { return canEnd }
        let piece = vocabulary.piece(token)
        return !piece.isEmpty && accept(bytes: piece)
    }

    /// Advances over bytes; returns false (and changes nothing) unless all of them are allowed in order.
    public mutating func accept(bytes: some Sequence<UInt8>) -> Bool {
        var s = state
        for b in bytes {
            guard s >= 0 else { return false }
            s = table.next(s, b)
        }
        guard s >= 0 else { return false }
        state = s
        if table.stateCount > Self.stateLimit { compact() }
        return true
    }

    /// Sets `mask` to the tokens allowed next (resizing it to the vocabulary). End-of-generation tokens are in it
    /// exactly when the grammar can end. Mutating because it fills this matcher's caches.
    public mutating func allowedTokens(into mask: inout TokenMask) {
        mask.removeAll(count: vocabulary.count)
        guard state >= 0 else { return }
        var end = false
        for stack in table.stacks[Int(state)] {
            guard let top = stack.last else {
                end = true
                continue
            }
            if let remaining = remainingRepetitions(top) {
                boundedTokens(stack, remaining: remaining, into: &mask)
                continue
            }
            let entry = cachedEntry(cacheKey(top))
            mask.formUnion(entry.accepted)
            if !entry.leaving.isEmpty { walkLeaving(entry.leaving, below: stack, maxDepth: .max, into: &mask) }
        }
        if end { for t in vocabulary.endOfGeneration { mask.insert(t) } }
    }

    private mutating func cachedEntry(_ key: UInt64) -> CacheEntry {
        if let e = cache[key] { return e }
        let e = computeEntry(key)
        cache[key] = e
        return e
    }

    /// Re-walks, against the real rest of the stack, the subtrees of tokens that leave the top frame (only those
    /// leaving within `maxDepth` bytes).
    private mutating func walkLeaving(_ leaving: [Int32], below stack: [UInt64], maxDepth: Int,
                                      into mask: inout TokenMask) {
        let below = table.closedState(of: Array(stack.dropLast()))
        guard below >= 0 else { return }
        var unused: [Int32] = []
        for node in leaving {
            let n = Int(node)
            let depth = Int(vocabulary.trieDepth[n])
            if depth > maxDepth { continue }
            depthStates[depth - 1] = below
            walk(from: n, to: Int(vocabulary.trieEnd[n]), into: &mask, follow: nil, leaving: &unused, deeperThan: 0)
        }
    }

    /// For a top frame of a counted rule past its minimum but within one token's length of its maximum: how
    /// many more repetitions fit. Nil when the frame is cached normally.
    private func remainingRepetitions(_ top: UInt64) -> Int? {
        let node = GrammarStateTable.node(of: top)
        let c = GrammarStateTable.counter(of: top)
        let rule = grammar.rules[Int(grammar.nodes[node].rule)]
        guard rule.isCounted, rule.repeatMax != Grammar.unbounded, c != GrammarStateTable.free,
              c >= rule.repeatMin, c < rule.repeatMax,
              UInt64(c) + UInt64(vocabulary.maxPieceLength) >= UInt64(rule.repeatMax) else { return nil }
        return Int(rule.repeatMax - c)
    }

    /// Tokens allowed by a counted frame near its bound. A token of at most `remaining` bytes cannot complete more
    /// than `remaining` repetitions (each takes a byte), so it behaves as far from the bound: take those from the
    /// shared "free" entry. Only longer tokens are checked exactly, by a trie walk pruned to subtrees holding them.
    private mutating func boundedTokens(_ stack: [UInt64], remaining: Int, into mask: inout TokenMask) {
        let top = stack[stack.count - 1]
        let freeKey = GrammarStateTable.frame(node: Int32(GrammarStateTable.node(of: top)),
                                              counter: GrammarStateTable.free)
        let entry = cachedEntry(freeKey)
        var short = shortTokens[remaining] ?? makeShortTokens(remaining)
        short.formIntersection(entry.accepted)
        mask.formUnion(short)
        walkLeaving(entry.leaving, below: stack, maxDepth: remaining, into: &mask)
        depthStates[0] = table.intern([stack])
        var unused: [Int32] = []
        walk(from: 1, to: vocabulary.nodeCount, into: &mask, follow: nil, leaving: &unused, deeperThan: remaining)
    }

    private mutating func makeShortTokens(_ k: Int) -> TokenMask {
        var m = TokenMask(count: vocabulary.count)
        for t in 0..<vocabulary.count where !vocabulary.pieces[t].isEmpty && vocabulary.pieces[t].count <= k {
            m.insert(TokenID(t))
        }
        shortTokens[k] = m
        return m
    }

    /// The top frame with a counter far from its bounds replaced by `free`.
    private func cacheKey(_ top: UInt64) -> UInt64 {
        let node = GrammarStateTable.node(of: top)
        let c = GrammarStateTable.counter(of: top)
        let rule = grammar.rules[Int(grammar.nodes[node].rule)]
        guard rule.isCounted, c != GrammarStateTable.free, c >= rule.repeatMin else { return top }
        if rule.repeatMax == Grammar.unbounded
            || UInt64(c) + UInt64(vocabulary.maxPieceLength) < UInt64(rule.repeatMax) {
            return GrammarStateTable.frame(node: Int32(node), counter: GrammarStateTable.free)
        }
        return top
    }

    /// Walks the whole trie from a stack holding only the key frame ("the rest of the stack is unknown").
    private mutating func computeEntry(_ key: UInt64) -> CacheEntry {
        let rule = grammar.rules[Int(grammar.nodes[GrammarStateTable.node(of: key)].rule)]
        var mask = TokenMask(count: vocabulary.count)
        var leaving: [Int32] = []
        depthStates[0] = table.intern([[key]])
        walk(from: 1, to: vocabulary.nodeCount, into: &mask, follow: rule.follow, leaving: &leaving, deeperThan: 0)
        return CacheEntry(accepted: mask, leaving: leaving)
    }

    /// Preorder walk of trie nodes `first..<end`; the state before each node is `depthStates[depth - 1]`.
    /// With `follow`, a node whose parent state can leave the key frame and whose byte may follow it is recorded
    /// in `leaving` (the empty stack in a key walk means "returned to the unknown caller"). With `deeperThan`,
    /// only tokens longer than that are marked and subtrees without such tokens are skipped.
    private mutating func walk(from first: Int, to end: Int, into mask: inout TokenMask, follow: ByteSet?,
                               leaving: inout [Int32], deeperThan: Int) {
        var i = first
        while i < end {
            if deeperThan > 0 && Int(vocabulary.trieMaxDepth[i]) <= deeperThan {
                i = Int(vocabulary.trieEnd[i])
                continue
            }
            let d = Int(vocabulary.trieDepth[i])
            let parent = depthStates[d - 1]
            let b = vocabulary.trieByte[i]
            if let follow, table.hasEmpty[Int(parent)], follow.contains(b) {
                leaving.append(Int32(i))
            }
            let s = table.next(parent, b)
            if s < 0 {
                i = Int(vocabulary.trieEnd[i])
                continue
            }
            depthStates[d] = s
            let lo = Int(vocabulary.trieTokenStart[i]), hi = Int(vocabulary.trieTokenStart[i + 1])
            if lo < hi && d > deeperThan { for k in lo..<hi { mask.insert(vocabulary.trieTokens[k]) } }
            i += 1
        }
    }

    /// Rebuilds the state table with only the current state, keeping the per-frame cache (it holds no state ids).
    private mutating func compact() {
        let current = table.stacks[Int(state)]
        table = GrammarStateTable(grammar: grammar)
        state = table.intern(current)
    }
}
