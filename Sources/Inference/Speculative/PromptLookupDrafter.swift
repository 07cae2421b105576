// Prompt lookup decoding: when the last few tokens appeared before (in the prompt, a tool result, or the
// answer so far), propose what followed them then. No model, no cost when there is no match.

/// n-gram lookup over the sequence's own history.
struct PromptLookupDrafter: Drafter {
    /// Longest and shortest n-gram tried; longer matches are more reliable, so they are tried first.
    var maxNgram = 4
    var minNgram = 2

    mutating func draft(_ context: inout DraftContext, max: Int) -> [TokenID] {
        let h = context.history
        guard max > 0, h.count > minNgram else { return [] }
        for n in stride(from: min(maxNgram, h.count - 1), through: minNgram, by: -1) {
            let tailStart = h.count - n
            // Most recent earlier occurrence of the last n tokens.
            var i = tailStart - 1
            while i >= 0 {
                var match = true
                for j in 0..<n where h[i + j] != h[tailStart + j] {
                    match = false
                    break
                }
                if match {
                    let from = i + n
                    let to = Swift.min(h.count, from + max)
                    if from < to { return Array(h[from..<to]) }
                }
                i -= 1
            }
        }
        return []
    }

    mutating func observe(accepted: Int, context: inout DraftContext) {}
    mutating func finish() {}
}
