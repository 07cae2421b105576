// The BPE path of encoding: decode a text fragment to code points, split it into words, and merge each
// distinct word once (results are cached per word for the rest of the call).

/// Buffers reused across the fragments and words of one `encode` call.
struct BPEScratch {
    var scalars: [UInt32] = []
    var flags: [UInt16] = []
    /// Byte offset of each code point in the fragment, plus the fragment's length.
    var offsets: [Int] = []
    var ends: [Int] = []
    var spareEnds: [Int] = []
    var merge = BPEMerger.Scratch()
    /// Byte offset, within the word, of each initial symbol (for byte fallback of unknown characters).
    var symbolStarts: [Int32] = []
    var encoded: [UInt8] = []
    var wordTokens: [TokenID] = []
    var cache = WordCache()
}

/// Token ids of words already merged in this call, keyed by the word's bytes.
struct WordCache {
    var keys = PieceIndex(capacity: 2048)
    var starts: [Int] = [0]
    var tokens: [TokenID] = []
}

extension Tokenizer {
    /// Appends the BPE tokens of one raw-text fragment.
    func encodeBPE(_ text: UnsafeBufferPointer<UInt8>, into output: inout [TokenID], _ scratch: inout BPEScratch) {
        guard let merger, let preTokenizer, !text.isEmpty else { return }
        // Code points, flags and offsets; invalid UTF-8 is re-encoded as U+FFFD first, as llama.cpp does.
        scratch.scalars.removeAll(keepingCapacity: true)
        scratch.flags.removeAll(keepingCapacity: true)
        scratch.offsets.removeAll(keepingCapacity: true)
        var offset = 0
        var clean = true
        while offset < text.count {
            let (scalar, length) = UTF8Codec.decode(text, at: offset)
            if length != UTF8Codec.encodedLength(scalar) { clean = false }
            scratch.scalars.append(scalar)
            scratch.flags.append(CodepointFlags.of(scalar))
            scratch.offsets.append(offset)
            offset += length
        }
        scratch.offsets.append(offset)
        if !clean {
            var repaired: [UInt8] = []
            for scalar in scratch.scalars { UTF8Codec.append(scalar, to: &repaired) }
            repaired.withUnsafeBufferPointer { encodeBPE($0, into: &output, &scratch) }
            return
        }
        scratch.scalars.withUnsafeBufferPointer { cps in
            scratch.flags.withUnsafeBufferPointer { flags in
                preTokenizer.split(cps, flags, into: &scratch.ends, scratch: &scratch.spareEnds)
            }
        }
        var start = 0
        for end in scratch.ends {
            let word = UnsafeBufferPointer(rebasing: text[scratch.offsets[start]..<scratch.offsets[end]])
            start = end
            if let entry = scratch.cache.keys.lookup(word) {
                let e = Int(entry)
                output.append(contentsOf: scratch.cache.tokens[scratch.cache.starts[e]..<scratch.cache.starts[e + 1]])
                continue
            }
            scratch.wordTokens.removeAll(keepingCapacity: true)
            mergeWord(word, merger, byteEncode: preTokenizer.byteEncode, &scratch)
            output.append(contentsOf: scratch.wordTokens)
            scratch.cache.keys.insert(word, value: Int32(scratch.cache.starts.count - 1))
            scratch.cache.tokens.append(contentsOf: scratch.wordTokens)
            scratch.cache.starts.append(scratch.cache.tokens.count)
        }
    }

    /// Merges one word into `scratch.wordTokens`.
    private func mergeWord(_ word: UnsafeBufferPointer<UInt8>, _ merger: BPEMerger, byteEncode: Bool,
                           _ scratch: inout BPEScratch) {
        let v = vocabulary
        // The word as the vocabulary spells it (byte-level words are mapped to GPT-2's alphabet).
        if byteEncode && v.ignoreMerges {
            scratch.encoded.removeAll(keepingCapacity: true)
            for byte in word { scratch.encoded.append(contentsOf: ByteLevelAlphabet.utf8ForByte[Int(byte)]) }
            if let id = scratch.encoded.withUnsafeBufferPointer({ pieces.lookup($0) }) {
                scratch.wordTokens.append(id)
                return
            }
        } else if !byteEncode && (v.ignoreMerges || (preTokenizer?.name == "gemma4" && word.allSatisfy { $0 == 0x0A })) {
            if let id = pieces.lookup(word) {
                scratch.wordTokens.append(id)
                return
            }
        }
        scratch.merge.symbols.removeAll(keepingCapacity: true)
        scratch.symbolStarts.removeAll(keepingCapacity: true)
        if byteEncode {
            for byte in word { scratch.merge.symbols.append(merger.byteSymbols[Int(byte)]) }
        } else {
            var i = 0
            while i < word.count {
                let length = min(UTF8Codec.sequenceLength(word[i]), word.count - i)
                let char = UnsafeBufferPointer(rebasing: word[i..<i + length])
                scratch.merge.symbols.append(merger.symbol(char, pieces) ?? -1)
                scratch.symbolStarts.append(Int32(i))
                i += length
            }
        }
        merger.merge(&scratch.merge)
        var index: Int32 = 0
        while index >= 0 {
            let i = Int(index)
            let symbol = scratch.merge.symbols[i]
            if symbol >= 0 && Int(symbol) < merger.tokenCount {
                scratch.wordTokens.append(symbol)
            } else if symbol >= 0 {
                for byte in merger.extraText(symbol) where byteTokens[Int(byte)] >= 0 {
                    scratch.wordTokens.append(byteTokens[Int(byte)])
                }
            } else {
                // A character no token or rule knows: its bytes, one by one.
                let start = Int(scratch.symbolStarts[i])
                let end = i + 1 < scratch.symbolStarts.count ? Int(scratch.symbolStarts[i + 1]) : word.count
                for byte in word[start..<end] where byteTokens[Int(byte)] >= 0 {
                    scratch.wordTokens.append(byteTokens[Int(byte)])
                }
            }
            index = scratch.merge.next[i]
        }
    }
}
