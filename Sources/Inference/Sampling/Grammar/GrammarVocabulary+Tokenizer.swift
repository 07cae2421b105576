// Builds the grammar vocabulary of a model from its tokenizer: each token's decoded bytes (control tokens give
// none, so a grammar never emits them) and the end-of-generation set.

extension GrammarVocabulary {
    /// The vocabulary of `tokenizer`, for constraining that model's output. Build it once per model and share it.
    public init(tokenizer: Tokenizer) {
        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(tokenizer.count)
        var end: [TokenID] = []
        for i in 0..<tokenizer.count {
            let id = TokenID(i)
            pieces.append(tokenizer.pieceBytes(id, renderSpecial: false))
            if tokenizer.isEndOfGeneration(id) { end.append(id) }
        }
        self.init(pieces: pieces, endOfGeneration: end)
    }
}
