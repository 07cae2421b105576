// Splits special, control and user-defined token texts out of the input before the model's own splitting,
// exactly as llama.cpp's tokenizer_st_partition: longest token first, each splitting every remaining text
// fragment at its occurrences, with the tokens' lstrip/rstrip attributes.

/// The special-token pass of encoding.
struct SpecialTokenSplitter: Sendable {
    /// A piece of the input: raw text (a byte range) or an already-decided token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(TokenID)
    }

    struct Entry: Sendable {
        var id: TokenID
        var bytes: [UInt8]
        /// Control or unknown tokens are only matched when parsing specials; user-defined ones always.
        var needsParseSpecial: Bool
        var lstrip: Bool
        var rstrip: Bool
    }

    /// In matching order: longest text first, then lower id.
    let entries: [Entry]
    /// A trie over all entry texts, used to find which entries occur in a text at all.
    private var trie: [[UInt8: Int32]] = [[:]]
    /// Entry indices ending at each trie node.
    private var terminals: [Int32: [Int32]] = [:]
    /// Bytes that start some entry's text.
    private var firstBytes = [Bool](repeating: false, count: 256)

    init(vocabulary: Vocabulary) {
        var list: [Entry] = []
        for (index, attributes) in vocabulary.attributes.enumerated()
        where !attributes.isDisjoint(with: [.control, .userDefined, .unknown]) {
            list.append(Entry(id: TokenID(index), bytes: Array(vocabulary.pieces[index].utf8),
                              needsParseSpecial: !attributes.isDisjoint(with: [.control, .unknown]),
                              lstrip: attributes.contains(.lstrip), rstrip: attributes.contains(.rstrip)))
        }
        list.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        entries = list
        for (index, entry) in list.enumerated() {
            var node: Int32 = 0
            for byte in entry.bytes {
                if let child = trie[Int(node)][byte] {
                    node = child
                } else {
                    trie.append([:])
                    let child = Int32(trie.count - 1)
                    trie[Int(node)][byte] = child
                    node = child
                }
            }
            terminals[node, default: []].append(Int32(index))
            if let first = entry.bytes.first { firstBytes[Int(first)] = true }
        }
    }

    /// Which entries (indices into `entries`) occur somewhere in `text`, in matching order.
    private func occurring(in text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Int] {
        var found = Set<Int32>()
        for start in 0..<text.count where firstBytes[Int(text[start])] {
            var node: Int32 = 0
            var i = start
            while i < text.count, let child = trie[Int(node)][text[i]] {
                node = child
                if let ends = terminals[node] { found.formUnion(ends) }
                i += 1
            }
        }
        return found.map(Int.init).sorted().filter { parseSpecial || !entries[$0].needsParseSpecial }
    }

    /// Splits `text` into fragments. Without `parseSpecial`, control and unknown tokens stay text.
    func split(_ text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        guard !text.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<text.count)]
        if entries.isEmpty { return fragments }
        for index in occurring(in: text, parseSpecial: parseSpecial) {
            let entry = entries[index]
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count + 2)
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    next.append(fragment)
                    continue
                }
                var position = range.lowerBound
                let end = range.upperBound
                while let match = Self.find(entry.bytes, in: text, from: position, to: end) {
                    var leftEnd = match
                    if entry.lstrip {
                        while leftEnd > position && Self.isSpace(text[leftEnd - 1]) { leftEnd -= 1 }
                    }
                    if leftEnd > position { next.append(.text(position..<leftEnd)) }
                    next.append(.token(entry.id))
                    position = match + entry.bytes.count
                    if entry.rstrip {
                        while position < end && Self.isSpace(text[position]) { position += 1 }
                    }
                }
                if position < end { next.append(.text(position..<end)) }
            }
            fragments = next
        }
        return fragments
    }

    /// C's `isspace` in the "C" locale (llama.cpp strips with it).
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// The first occurrence of `pattern` in `text[from..<to]`.
    static func find(_ pattern: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let n = pattern.count
        guard n > 0, to - from >= n else { return nil }
        let first = pattern[0]
        var i = from
        while i <= to - n {
            if text[i] == first {
                var j = 1
                while j < n && text[i + j] == pattern[j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }
}
