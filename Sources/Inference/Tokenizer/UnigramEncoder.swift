// SentencePiece Unigram (`t5` vocabularies): normalization through the precompiled character map, then
// the best-scoring segmentation by dynamic programming (Viterbi), as llama.cpp's UGM session.

/// Viterbi tokenization over token scores, with SentencePiece's normalization.
struct UnigramEncoder: Sendable {
    /// Every prefix of every candidate token → the token's id when the prefix is a whole token, else -1.
    let prefixes: PieceIndex
    /// Every prefix of every user-defined token (normalization leaves those spans untouched).
    let userDefinedPrefixes: PieceIndex
    let userDefined: [Bool]
    let scores: [Float]
    let unknown: TokenID
    let unknownScore: Double
    let maxTokenLength: Int
    /// The XOR-compressed double array and replacement strings of the precompiled charsmap.
    let xcda: [UInt32]
    let replacements: [UInt8]
    let spaceText: [UInt8]
    let prependSpace: Bool
    let appendSpace: Bool
    let mergeSpaces: Bool

    init(vocabulary v: Vocabulary) throws(TokenizerError) {
        guard let unknown = v.special.unk else { throw .missingKey("tokenizer.ggml.unknown_token_id") }
        self.unknown = unknown
        var prefixes = PieceIndex(capacity: v.count * 4)
        var userPrefixes = PieceIndex(capacity: 64)
        var minScore = Float.greatestFiniteMagnitude
        var maxLength = 0
        var userDefined = [Bool](repeating: false, count: v.count)
        for (id, piece) in v.pieces.enumerated() {
            let attributes = v.attributes[id]
            if attributes.contains(.normal) { minScore = min(minScore, v.scores[id]) }
            guard !attributes.isDisjoint(with: [.normal, .userDefined, .unused]) else { continue }
            let bytes = Array(piece.utf8)
            maxLength = max(maxLength, bytes.count)
            bytes.withUnsafeBufferPointer { b in
                for length in 1..<max(b.count, 1) {
                    let prefix = UnsafeBufferPointer(rebasing: b[0..<length])
                    if prefixes.lookup(prefix) == nil { prefixes.insert(prefix, value: -1) }
                }
                if !b.isEmpty { prefixes.insert(b, value: Int32(id)) }
                if attributes.contains(.userDefined) {
                    userDefined[id] = true
                    for length in 1...max(b.count, 1) where length <= b.count {
                        userPrefixes.insert(UnsafeBufferPointer(rebasing: b[0..<length]), value: 0)
                    }
                }
            }
        }
        self.prefixes = prefixes
        userDefinedPrefixes = userPrefixes
        self.userDefined = userDefined
        scores = v.scores
        unknownScore = Double(minScore) - 10
        maxTokenLength = maxLength

        let map = v.precompiledCharsmap
        if map.isEmpty {
            xcda = []
            replacements = []
        } else {
            guard map.count >= 4 else { throw .badCharsmap(reason: "\(map.count) bytes, too small for its header") }
            let blobSize = Int(map[0]) | Int(map[1]) << 8 | Int(map[2]) << 16 | Int(map[3]) << 24
            guard blobSize + 4 < map.count else {
                throw .badCharsmap(reason: "array of \(blobSize) bytes does not fit in \(map.count) bytes")
            }
            var array: [UInt32] = []
            array.reserveCapacity(blobSize / 4)
            var i = 4
            while i + 4 <= 4 + blobSize {
                array.append(UInt32(map[i]) | UInt32(map[i + 1]) << 8 | UInt32(map[i + 2]) << 16 | UInt32(map[i + 3]) << 24)
                i += 4
            }
            xcda = array
            replacements = Array(map[(4 + blobSize)...])
        }
        spaceText = v.escapeWhitespaces ? [0xE2, 0x96, 0x81] : [0x20]
        prependSpace = !v.treatWhitespaceAsSuffix && v.addSpacePrefix
        appendSpace = v.treatWhitespaceAsSuffix && v.addSpacePrefix
        mergeSpaces = v.removeExtraWhitespaces
    }

    /// Appends the tokens of `text`.
    func encode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [TokenID]) {
        let normalized = normalize(text)
        let n = normalized.count
        guard n > 0 else { return }
        var bestToken = [TokenID](repeating: unknown, count: n + 1)
        var bestStart = [Int](repeating: 0, count: n + 1)
        var bestScore = [Double](repeating: -Double.greatestFiniteMagnitude, count: n + 1)
        bestScore[0] = 0
        normalized.withUnsafeBufferPointer { s in
            var offset = 0
            while offset < n {
                let charLength = min(UTF8Codec.sequenceLength(s[offset]), n - offset)
                let current = bestScore[offset]
                var singleCharacterToken = false
                var end = offset + 1
                while end <= n && end - offset <= maxTokenLength,
                      let value = prefixes.lookup(UnsafeBufferPointer(rebasing: s[offset..<end])) {
                    if value >= 0 {
                        if end - offset == charLength { singleCharacterToken = true }
                        let score = current + (userDefined[Int(value)] ? 0 : Double(scores[Int(value)]))
                        if score > bestScore[end] {
                            bestScore[end] = score
                            bestToken[end] = value
                            bestStart[end] = offset
                        }
                    }
                    end += 1
                }
                if !singleCharacterToken {
                    let end = offset + charLength
                    let score = current + unknownScore
                    if score > bestScore[end] {
                        bestScore[end] = score
                        bestToken[end] = unknown
                        bestStart[end] = offset
                    }
                }
                offset += charLength
            }
        }
        // Backtrack, merging runs of unknown tokens into one.
        var reversed: [TokenID] = []
        var position = n
        var previousUnknown = false
        while true {
            let token = bestToken[position]
            let isUnknown = token == unknown
            if !(previousUnknown && isUnknown) { reversed.append(token) }
            if bestStart[position] == 0 { break }
            previousUnknown = isUnknown
            position = bestStart[position]
        }
        output.append(contentsOf: reversed.reversed())
    }

    /// SentencePiece normalization: charsmap replacements, ▁ for spaces, optional space prefix/merging.
    func normalize(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3)
        var spacePrepended = false
        var inWord = false
        var offset = 0
        while offset < input.count {
            let (replacement, consumed) = normalizedPrefix(input, at: offset)
            for c in replacement {
                if c != 0x20 {
                    if !inWord {
                        inWord = true
                        if (prependSpace && !spacePrepended) || mergeSpaces {
                            out.append(contentsOf: spaceText)
                            spacePrepended = true
                        }
                    }
                    out.append(c)
                } else {
                    inWord = false
                    if !mergeSpaces { out.append(contentsOf: spaceText) }
                }
            }
            offset += consumed
        }
        if appendSpace { out.append(contentsOf: spaceText) }
        return out
    }

    /// The normalized form of the input's next span and how many input bytes it covers.
    private func normalizedPrefix(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> ([UInt8], Int) {
        // User-defined tokens pass unchanged (as far as the text follows any of them).
        var userLength = 0
        while offset + userLength < input.count,
              userDefinedPrefixes.lookup(UnsafeBufferPointer(rebasing: input[offset..<offset + userLength + 1])) != nil {
            userLength += 1
        }
        if userLength > 0 { return (Array(input[offset..<offset + userLength]), userLength) }

        // Longest match in the charsmap's double array.
        var longestLength = 0
        var longestValue = 0
        if !xcda.isEmpty {
            @inline(__always) func node(_ i: Int) -> UInt32? { i < xcda.count ? xcda[i] : nil }
            @inline(__always) func base(_ packed: UInt32) -> Int {
                Int((packed >> 10) << ((packed & (1 << 9)) >> 6))
            }
            if let root = node(0) {
                var index = base(root)
                var i = offset
                while i < input.count {
                    let c = input[i]
                    if c == 0 { break }
                    index ^= Int(c)
                    guard let packed = node(index), packed & ((1 << 31) | 0xFF) == UInt32(c) else { break }
                    let isLeaf = (packed >> 8) & 1 == 1
                    index ^= base(packed)
                    if isLeaf {
                        guard let valueNode = node(index) else { break }
                        longestLength = i - offset + 1
                        longestValue = Int(valueNode & ((1 << 31) - 1))
                    }
                    i += 1
                }
            }
        }
        if longestLength > 0, longestValue < replacements.count {
            var end = longestValue
            while end < replacements.count && replacements[end] != 0 { end += 1 }
            if end < replacements.count { return (Array(replacements[longestValue..<end]), longestLength) }
        }
        // Otherwise one code point as is, or U+FFFD for an invalid byte.
        let (scalar, length) = UTF8Codec.decode(input, at: offset)
        if scalar == 0xFFFD && length == 1 { return ([0xEF, 0xBF, 0xBD], 1) }
        return (Array(input[offset..<offset + length]), length)
    }
}
