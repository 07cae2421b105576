// Prompt lookup decoding: when the last tokens appeared before (in the prompt, a tool result, or the answer so
// far), propose what followed them then. No model, no cost when there is no match.

/// Longest-suffix-match lookup over the sequence's own history.
///
/// Why the longest match and not the most recent short n-gram: structured text repeats short n-grams with
/// different continuations (`"day": "` is followed by Monday, then Tuesday; `{\n  var` opens two functions). The
/// occurrence that agrees with the most tokens before the current position is the one being copied, so its
/// continuation is the likeliest; among equally long matches the most recent wins.
struct PromptLookupDrafter: Drafter {
    /// Longest match compared (longer ones count as this long) and shortest accepted as a match.
    var maxMatch = 32
    var minMatch = 2

    mutating func draft(_ context: inout DraftContext, max: Int) -> [TokenID] {
        let (from, _) = Self.longestMatch(context.history, maxMatch: maxMatch, minMatch: minMatch)
        guard max > 0, let from else { return [] }
        let h = context.history
        return Array(h[from..<Swift.min(h.count, from + max)])
    }

    /// The start of the continuation of the earlier occurrence that shares the longest suffix with `h` (ties: the
    /// most recent), and that suffix's length; nil when no earlier occurrence matches `minMatch` tokens.
    static func longestMatch(_ h: [TokenID], maxMatch: Int, minMatch: Int) -> (from: Int?, length: Int) {
        guard h.count > minMatch, let last = h.last else { return (nil, 0) }
        var best = 0
        var bestFrom: Int? = nil
        h.withUnsafeBufferPointer { b in
            let end = b.count - 1
            var i = end - 1
            while i >= 0 {
                if b[i] == last {
                    var n = 1
                    while n < maxMatch && i - n >= 0 && b[i - n] == b[end - n] { n += 1 }
                    if n > best {
                        best = n
                        bestFrom = i + 1
                        if n == maxMatch { break }
                    }
                }
                i -= 1
            }
        }
        return best >= minMatch ? (bestFrom, best) : (nil, best)
    }

    mutating func observe(accepted: Int, context: inout DraftContext) {}
    mutating func finish() {}
}
