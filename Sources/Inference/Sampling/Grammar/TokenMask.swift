// A set of token ids as a bit vector: what a grammar allows next. Unions and scans over 49k tokens are a few
// hundred word operations.

/// Which vocabulary tokens are allowed; `count` is the vocabulary size.
public struct TokenMask: Sendable, Equatable {
    public private(set) var count: Int
    private(set) var words: [UInt64]

    /// An empty mask over `count` tokens.
    public init(count: Int) {
        self.count = max(0, count)
        self.words = Array(repeating: 0, count: (self.count + 63) / 64)
    }

    public func contains(_ token: TokenID) -> Bool {
        let t = Int(token)
        guard t >= 0 && t < count else { return false }
        return words[t >> 6] & (1 << UInt64(t & 63)) != 0
    }

    public mutating func insert(_ token: TokenID) {
        let t = Int(token)
        guard t >= 0 && t < count else { return }
        words[t >> 6] |= 1 << UInt64(t & 63)
    }

    /// Empties the mask, resizing it to `count` tokens.
    public mutating func removeAll(count newCount: Int? = nil) {
        if let newCount, newCount != count {
            self = TokenMask(count: newCount)
            return
        }
        for i in words.indices { words[i] = 0 }
    }

    public mutating func formUnion(_ other: TokenMask) {
        let n = min(words.count, other.words.count)
        words.withUnsafeMutableBufferPointer { w in
            other.words.withUnsafeBufferPointer { o in
                for i in 0..<n { w[i] |= o[i] }
            }
        }
    }

    public mutating func formIntersection(_ other: TokenMask) {
        let n = min(words.count, other.words.count)
        words.withUnsafeMutableBufferPointer { w in
            other.words.withUnsafeBufferPointer { o in
                for i in 0..<n { w[i] &= o[i] }
                for i in n..<w.count { w[i] = 0 }
            }
        }
    }

    /// How many tokens are allowed.
    public var allowedCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The allowed token ids in increasing order.
    public var tokens: [TokenID] {
        var out: [TokenID] = []
        for (i, w) in words.enumerated() where w != 0 {
            var bits = w
            while bits != 0 {
                out.append(TokenID(i * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return out
    }
}
