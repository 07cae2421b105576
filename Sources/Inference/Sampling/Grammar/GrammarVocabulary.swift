// The token pieces of one vocabulary as a byte trie, built once and shared by every grammar constraint on that
// model: walking it with the recognizer prunes every token that shares a rejected prefix in one step.

/// A vocabulary prepared for grammar matching: token id → bytes, the end-of-generation tokens, and a trie of all
/// non-empty pieces laid out in preorder (a subtree is a contiguous index range, so pruning is one jump).
public struct GrammarVocabulary: Sendable {
    /// Token ids are `0..<count`.
    public let count: Int
    /// Tokens that end generation; allowed exactly when the grammar can end.
    public let endOfGeneration: [TokenID]
    let pieces: [[UInt8]]
    let isEnd: Set<TokenID>
    /// The longest piece in bytes; bounds how far one token can move a repetition counter.
    let maxPieceLength: Int

    // Trie in preorder; node 0 is the root (the empty prefix).
    let trieByte: [UInt8]
    let trieDepth: [Int32]
    /// One past the last node of each node's subtree.
    let trieEnd: [Int32]
    /// The depth of the deepest node in each node's subtree (the longest token through it).
    let trieMaxDepth: [Int32]
    /// Tokens whose piece ends at node i are `trieTokens[trieTokenStart[i] ..< trieTokenStart[i + 1]]`.
    let trieTokenStart: [Int32]
    let trieTokens: [TokenID]

    /// Builds the trie from the bytes of every token (index = token id). Empty pieces (control tokens rendered
    /// without their text) are never allowed by a grammar; end-of-generation tokens are handled apart.
    public init(pieces: [[UInt8]], endOfGeneration: [TokenID] = []) {
        self.count = pieces.count
        self.pieces = pieces
        self.endOfGeneration = endOfGeneration.filter { $0 >= 0 && Int($0) < pieces.count }
        let endSet = Set(self.endOfGeneration)
        self.isEnd = endSet
        let order = (0..<pieces.count)
            .filter { !pieces[$0].isEmpty && !endSet.contains(TokenID($0)) }
            .sorted { pieces[$0].lexicographicallyPrecedes(pieces[$1]) }
        var bytes: [UInt8] = [0], depth: [Int32] = [0], end: [Int32] = [0], deepest: [Int32] = [0]
        var tokenCount: [Int32] = [0]
        var tokens: [TokenID] = []
        var path: [Int32] = [0]
        var previous: [UInt8] = []
        var longest = 0
        for t in order {
            let p = pieces[t]
            longest = max(longest, p.count)
            var lcp = 0
            while lcp < p.count && lcp < previous.count && p[lcp] == previous[lcp] { lcp += 1 }
            while path.count - 1 > lcp {
                let n = Int(path.removeLast())
                end[n] = Int32(bytes.count)
                let parent = Int(path[path.count - 1])
                deepest[parent] = max(deepest[parent], deepest[n])
            }
            for d in lcp..<p.count {
                path.append(Int32(bytes.count))
                bytes.append(p[d]); depth.append(Int32(d + 1)); end.append(0); tokenCount.append(0)
                deepest.append(Int32(d + 1))
            }
            tokenCount[Int(path[path.count - 1])] += 1
            tokens.append(TokenID(t))
            previous = p
        }
        while let n = path.popLast() {
            end[Int(n)] = Int32(bytes.count)
            if let parent = path.last { deepest[Int(parent)] = max(deepest[Int(parent)], deepest[Int(n)]) }
        }
        var start: [Int32] = [0]
        start.reserveCapacity(tokenCount.count + 1)
        for c in tokenCount { start.append(start[start.count - 1] + c) }
        self.trieByte = bytes
        self.trieDepth = depth
        self.trieEnd = end
        self.trieMaxDepth = deepest
        self.trieTokenStart = start
        self.trieTokens = tokens
        self.maxPieceLength = longest
    }

    /// The bytes of a token (empty for unknown ids).
    public func piece(_ token: TokenID) -> [UInt8] {
        Int(token) >= 0 && Int(token) < count ? pieces[Int(token)] : []
    }

    public func isEndOfGeneration(_ token: TokenID) -> Bool { isEnd.contains(token) }

    var nodeCount: Int { trieByte.count }
    var maxDepth: Int { maxPieceLength }
}
