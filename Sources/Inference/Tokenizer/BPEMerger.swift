// Byte-pair encoding of words: the rank-ordered merge loop over a linked list of symbols with a min-heap,
// as llama.cpp's BPE session does it, but over interned symbol ids instead of strings.

/// The merge rules of a BPE vocabulary and the loop that applies them to one word. Every text that can
/// be a symbol (the 256 byte characters, both sides and the result of every rule) gets an id: its token id
/// when it is a token, else an id past the vocabulary. A rule is then a lookup of an id pair.
struct BPEMerger: Sendable {
    let tokenCount: Int
    /// Symbol texts that are not tokens; the symbol id of key `i` is `tokenCount + i`.
    private(set) var extras: PieceIndex
    /// (left, right) → rank << 32 | result symbol.
    private(set) var pairs: PairTable
    /// Byte-level vocabularies: the symbol of each byte's character.
    private(set) var byteSymbols: [Int32]

    /// Interns the merge rules (`"left right"`, rank = index). Throws on a rule without a separator.
    init(merges: [String], pieces: PieceIndex, tokenCount: Int) throws(TokenizerError) {
        self.tokenCount = tokenCount
        extras = PieceIndex(capacity: 1024)
        pairs = PairTable(capacity: merges.count)
        byteSymbols = []
        var scratch: [UInt8] = []
        for byte in 0..<256 {
            byteSymbols.append(intern(ByteLevelAlphabet.utf8ForByte[byte], pieces))
        }
        for (rank, rule) in merges.enumerated() {
            let bytes = Array(rule.utf8)
            guard bytes.count > 2, let split = bytes[1...].firstIndex(of: 0x20), split + 1 < bytes.count else {
                throw .badMerge(index: rank, text: rule)
            }
            let left = intern(Array(bytes[..<split]), pieces)
            let right = intern(Array(bytes[(split + 1)...]), pieces)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: bytes[..<split])
            scratch.append(contentsOf: bytes[(split + 1)...])
            let result = intern(scratch, pieces)
            pairs.insertIfAbsent(left: left, right: right,
                                 value: UInt64(rank) << 32 | UInt64(UInt32(bitPattern: result)))
        }
    }

    /// The symbol id of a text, adding it to `extras` when it is not a token.
    private mutating func intern(_ text: [UInt8], _ pieces: PieceIndex) -> Int32 {
        if let id = pieces.lookup(text) { return id }
        if let id = extras.lookup(text) { return id }
        let index = text.withUnsafeBufferPointer { extras.insert($0, value: Int32(tokenCount + extras.count)) }
        return Int32(tokenCount + index)
    }

    /// The symbol id of a text that is a token or appears in a rule, or nil.
    @inline(__always)
    func symbol(_ text: UnsafeBufferPointer<UInt8>, _ pieces: PieceIndex) -> Int32? {
        pieces.lookup(text) ?? extras.lookup(text)
    }

    /// The text of a symbol that is not a token.
    func extraText(_ symbol: Int32) -> ArraySlice<UInt8> { extras.key(Int(symbol) - tokenCount) }

    /// Reusable buffers of the merge loop.
    struct Scratch {
        var symbols: [Int32] = []
        var next: [Int32] = []
        var prev: [Int32] = []
        var heap: [Candidate] = []
    }

    /// A mergeable adjacent pair, ordered by rank then position (llama.cpp's `llm_bigram_bpe` order).
    struct Candidate {
        var order: UInt64 // rank << 32 | left index
        var right: Int32
        var leftSymbol: Int32
        var rightSymbol: Int32
        var result: Int32
    }

    /// Merges `scratch.symbols` in place (symbols absorbed into their left neighbour become -2); walk the
    /// result from index 0 through `scratch.next`. Symbols of -1 (characters with no id) never merge.
    func merge(_ scratch: inout Scratch) {
        let count = scratch.symbols.count
        scratch.next.removeAll(keepingCapacity: true)
        scratch.prev.removeAll(keepingCapacity: true)
        scratch.heap.removeAll(keepingCapacity: true)
        guard count > 1 else {
            if count == 1 { scratch.next.append(-1) }
            return
        }
        for i in 0..<count {
            scratch.prev.append(Int32(i - 1))
            scratch.next.append(i + 1 < count ? Int32(i + 1) : -1)
        }
        for i in 1..<count { push(Int32(i - 1), Int32(i), &scratch) }
        while let top = pop(&scratch.heap) {
            let left = Int(truncatingIfNeeded: top.order & 0xFFFF_FFFF)
            let right = Int(top.right)
            guard scratch.symbols[left] == top.leftSymbol, scratch.symbols[right] == top.rightSymbol,
                  scratch.next[left] == top.right else { continue }
            scratch.symbols[left] = top.result
            scratch.symbols[right] = -2
            let after = scratch.next[right]
            scratch.next[left] = after
            if after >= 0 { scratch.prev[Int(after)] = Int32(left) }
            push(scratch.prev[left], Int32(left), &scratch)
            push(Int32(left), after, &scratch)
        }
    }

    @inline(__always)
    private func push(_ left: Int32, _ right: Int32, _ scratch: inout Scratch) {
        guard left >= 0, right >= 0 else { return }
        let ls = scratch.symbols[Int(left)], rs = scratch.symbols[Int(right)]
        guard ls >= 0, rs >= 0, let value = pairs.lookup(ls, rs) else { return }
        let candidate = Candidate(order: (value & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(left)), right: right,
                                  leftSymbol: ls, rightSymbol: rs,
                                  result: Int32(bitPattern: UInt32(truncatingIfNeeded: value)))
        // Sift up.
        scratch.heap.append(candidate)
        var i = scratch.heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if scratch.heap[parent].order <= candidate.order { break }
            scratch.heap[i] = scratch.heap[parent]
            i = parent
        }
        scratch.heap[i] = candidate
    }

    @inline(__always)
    private func pop(_ heap: inout [Candidate]) -> Candidate? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        // Sift `last` down from the root.
        var i = 0
        let n = heap.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var child = l
            if l + 1 < n && heap[l + 1].order < heap[l].order { child = l + 1 }
            if heap[child].order >= last.order { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = last
        return top
    }
}
