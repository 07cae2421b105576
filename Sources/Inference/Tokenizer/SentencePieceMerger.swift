// SentencePiece-style encoding (`llama` vocabularies): characters merged pairwise by the score of the token
// they form, highest first, with `<0xNN>` byte fallback for what no token covers (llama.cpp's SPM session).

/// The score-driven merge loop of SentencePiece BPE vocabularies.
enum SentencePieceMerger {
    /// A symbol: a byte range of the text, linked to its neighbours.
    struct Symbol {
        var start: Int32
        var length: Int32
        var prev: Int32
        var next: Int32
    }

    /// A pair whose concatenation is a token, ordered by score (high first) then position.
    struct Candidate {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int32

        @inline(__always)
        func precedes(_ other: Candidate) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    struct Scratch {
        var symbols: [Symbol] = []
        var heap: [Candidate] = []
    }

    /// Appends the tokens of `text` (already ▁-escaped) to `output`. `byteTokens[b]` is the token for byte
    /// `b` (`<0xNN>`, else the one-byte piece), or -1; `fallback` is used when a byte has no token.
    static func encode(_ text: UnsafeBufferPointer<UInt8>, pieces: PieceIndex, scores: [Float],
                       byteTokens: [Int32], fallback: TokenID?, output: inout [TokenID], scratch: inout Scratch) {
        scratch.symbols.removeAll(keepingCapacity: true)
        scratch.heap.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < text.count {
            let length = min(UTF8Codec.sequenceLength(text[offset]), text.count - offset)
            let index = Int32(scratch.symbols.count)
            scratch.symbols.append(Symbol(start: Int32(offset), length: Int32(length), prev: index - 1,
                                          next: offset + length == text.count ? -1 : index + 1))
            offset += length
        }
        guard !scratch.symbols.isEmpty else { return }
        for i in 1..<scratch.symbols.count {
            tryAdd(Int32(i - 1), Int32(i), text, pieces, scores, &scratch)
        }
        while let top = pop(&scratch.heap) {
            let l = Int(top.left), r = Int(top.right)
            let left = scratch.symbols[l], right = scratch.symbols[r]
            if left.length == 0 || right.length == 0 || left.length + right.length != top.size { continue }
            scratch.symbols[l].length += right.length
            scratch.symbols[r].length = 0
            scratch.symbols[l].next = right.next
            if right.next >= 0 { scratch.symbols[Int(right.next)].prev = top.left }
            tryAdd(scratch.symbols[l].prev, top.left, text, pieces, scores, &scratch)
            tryAdd(top.left, scratch.symbols[l].next, text, pieces, scores, &scratch)
        }
        var i: Int32 = 0
        while i != -1 {
            let symbol = scratch.symbols[Int(i)]
            let bytes = UnsafeBufferPointer(rebasing: text[Int(symbol.start)..<Int(symbol.start + symbol.length)])
            if let id = pieces.lookup(bytes) {
                output.append(id)
            } else {
                for byte in bytes {
                    let id = byteTokens[Int(byte)]
                    if id >= 0 { output.append(id) } else if let fallback { output.append(fallback) }
                }
            }
            i = symbol.next
        }
    }

    @inline(__always)
    private static func tryAdd(_ left: Int32, _ right: Int32, _ text: UnsafeBufferPointer<UInt8>,
                               _ pieces: PieceIndex, _ scores: [Float], _ scratch: inout Scratch) {
        guard left >= 0, right >= 0 else { return }
        let l = scratch.symbols[Int(left)], r = scratch.symbols[Int(right)]
        let size = l.length + r.length
        let start = Int(l.start)
        guard let id = pieces.lookup(UnsafeBufferPointer(rebasing: text[start..<start + Int(size)])) else { return }
        let candidate = Candidate(score: scores[Int(id)], left: left, right: right, size: size)
        scratch.heap.append(candidate)
        var i = scratch.heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !candidate.precedes(scratch.heap[parent]) { break }
            scratch.heap[i] = scratch.heap[parent]
            i = parent
        }
        scratch.heap[i] = candidate
    }

    @inline(__always)
    private static func pop(_ heap: inout [Candidate]) -> Candidate? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        var i = 0
        let n = heap.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var child = l
            if l + 1 < n && heap[l + 1].precedes(heap[l]) { child = l + 1 }
            if !heap[child].precedes(last) { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = last
        return top
    }
}
