// Text → token id lookup over raw bytes, without building a String or an Array per lookup.

/// An open-addressing hash table from piece bytes to ids. The hot loops of every tokenizer look up
/// byte slices of the input (merged symbols, characters, whole words), so keys are compared in place.
/// When several entries share a text the last one added wins, as in llama.cpp's `token_to_id`.
struct PieceIndex: Sendable {
    /// All keys' bytes, back to back.
    private(set) var storage: [UInt8] = []
    /// `storage` offsets: key `i` is `storage[offsets[i]..<offsets[i + 1]]`.
    private(set) var offsets: [Int] = [0]
    /// The id stored for each key.
    private var values: [Int32] = []
    /// Key index + 1 per slot; 0 is empty.
    private var slots: [Int32]
    private var mask: Int

    /// Number of distinct keys.
    var count: Int { values.count }

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Builds the index of a vocabulary: key `i` has value `i` unless a later piece repeats it.
    init(pieces: [String]) {
        self.init(capacity: pieces.count)
        for (id, piece) in pieces.enumerated() {
            let bytes = Array(piece.utf8)
            bytes.withUnsafeBufferPointer { _ = insert($0, value: Int32(id)) }
        }
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The bytes of key `index`.
    func key(_ index: Int) -> ArraySlice<UInt8> { storage[offsets[index]..<offsets[index + 1]] }

    @inline(__always)
    private func equals(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[index]
        guard offsets[index + 1] - start == key.count else { return false }
        return storage.withUnsafeBufferPointer { s in
            for i in 0..<key.count where s[start + i] != key[i] { return false }
            return true
        }
    }

    /// Adds `key` → `value`, or replaces the value when the key is present. Returns the key's index.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int32) -> Int {
        if values.count * 2 >= slots.count { grow() }
        var slot = Self.hash(key) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot] - 1)
            if equals(index, key) {
                values[index] = value
                return index
            }
            slot = (slot + 1) & mask
        }
        storage.append(contentsOf: key)
        offsets.append(storage.count)
        values.append(value)
        slots[slot] = Int32(values.count)
        return values.count - 1
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for index in 0..<values.count {
            let slot = storage.withUnsafeBufferPointer { s in
                Self.hash(UnsafeBufferPointer(rebasing: s[offsets[index]..<offsets[index + 1]]))
            }
            var s = slot & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(index + 1)
        }
    }

    /// The value stored for `key`, or nil.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(key) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let index = Int(entry - 1)
            if equals(index, key) { return values[index] }
            slot = (slot + 1) & mask
        }
    }

    /// The value stored for `key`, or nil.
    func lookup(_ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { lookup($0) }
    }
}
