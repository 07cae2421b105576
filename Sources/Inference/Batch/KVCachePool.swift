// Key/value storage for every sequence of one model, in fixed-size blocks: sequences own block tables, blocks
// are reference-counted so a common prefix (a shared system prompt) is stored once and copied only on write.

/// The blocks all sequences of a model draw from (the PagedAttention idea, on a CPU).
/// Not thread-safe: only the scheduler thread that runs the model touches it.
public final class KVCachePool: @unchecked Sendable {
    /// Positions per block. 32 keeps the waste of a half-filled block small and prefix sharing fine-grained.
    public let blockSize: Int
    public let layerCount: Int
    public let kvDimension: Int
    /// Upper bound on blocks, from the memory the user allows for the cache.
    public let maxBlocks: Int
    /// Elements in one block: (layer, K|V, position, kvDimension), each an F16 value as llama.cpp's default cache
    /// stores it (the forward pass rounds keys and values to F16 anyway; half the bytes of f32 to stream per step).
    let elementsPerBlock: Int

    private var storage: [UnsafeMutablePointer<UInt16>] = []
    private var refCounts: [Int] = []
    private var free: [Int] = []

    public init(layerCount: Int, kvDimension: Int, maxPositions: Int, blockSize: Int = 32) {
        self.blockSize = blockSize
        self.layerCount = layerCount
        self.kvDimension = kvDimension
        self.maxBlocks = max(1, (maxPositions + blockSize - 1) / blockSize)
        self.elementsPerBlock = layerCount * 2 * blockSize * kvDimension
    }

    deinit {
        for p in storage { p.deallocate() }
    }

    /// Blocks currently handed out (for the memory figure in the status line and tests).
    public var blocksInUse: Int { storage.count - free.count }
    /// Bytes of cache memory allocated so far (blocks are kept for reuse once allocated).
    public var bytesAllocated: Int { storage.count * elementsPerBlock * MemoryLayout<UInt16>.size }

    /// A fresh block with one owner, or nil when the pool is at its limit.
    func allocate() -> Int? {
        if let b = free.popLast() {
            refCounts[b] = 1
            return b
        }
        guard storage.count < maxBlocks else { return nil }
        let p = UnsafeMutablePointer<UInt16>.allocate(capacity: elementsPerBlock)
        storage.append(p)
        refCounts.append(1)
        return storage.count - 1
    }

    func retain(_ block: Int) { refCounts[block] += 1 }

    func release(_ block: Int) {
        refCounts[block] -= 1
        if refCounts[block] == 0 { free.append(block) }
    }

    func isShared(_ block: Int) -> Bool { refCounts[block] > 1 }

    /// Start of the keys of `layer` in `block`: (blockSize × kvDimension), one row per position.
    @inline(__always)
    func keys(_ block: Int, layer: Int) -> UnsafeMutablePointer<UInt16> {
        storage[block] + (layer * 2) * blockSize * kvDimension
    }

    /// Start of the values of `layer` in `block`: (blockSize × kvDimension).
    @inline(__always)
    func values(_ block: Int, layer: Int) -> UnsafeMutablePointer<UInt16> {
        storage[block] + (layer * 2 + 1) * blockSize * kvDimension
    }

    /// Copies a block's contents into a new block (copy-on-write of a shared prefix block).
    func copy(_ block: Int) -> Int? {
        guard let fresh = allocate() else { return nil }
        storage[fresh].update(from: storage[block], count: elementsPerBlock)
        return fresh
    }

    // MARK: Sequence operations

    /// Makes room for positions up to `length` (exclusive) and makes the blocks that positions from `writeFrom`
    /// on will be written into private to this sequence. Returns false when the pool is full.
    func reserve(_ seq: inout KVSequence, length: Int, writeFrom: Int) -> Bool {
        let needed = (length + blockSize - 1) / blockSize
        while seq.blocks.count < needed {
            guard let b = allocate() else { return false }
            seq.blocks.append(b)
        }
        if length > writeFrom {
            for i in (writeFrom / blockSize)..<needed where isShared(seq.blocks[i]) {
                guard let c = copy(seq.blocks[i]) else { return false }
                release(seq.blocks[i])
                seq.blocks[i] = c
            }
        }
        return true
    }

    /// Forgets everything past `length` positions (rollback of rejected drafts, or a changed conversation).
    func trim(_ seq: inout KVSequence, to length: Int) {
        let keep = (length + blockSize - 1) / blockSize
        while seq.blocks.count > keep {
            if let b = seq.blocks.popLast() { release(b) }
        }
        if seq.tokens.count > length { seq.tokens.removeLast(seq.tokens.count - length) }
        seq.promptComputed = min(seq.promptComputed, length)
    }

    /// Releases all of a sequence's blocks.
    func clear(_ seq: inout KVSequence) { trim(&seq, to: 0) }

    /// A new sequence sharing the first `length` positions of `seq` without copying them.
    func fork(_ seq: KVSequence, length: Int) -> KVSequence {
        let n = min(seq.tokens.count, length)
        let blocks = Array(seq.blocks.prefix((n + blockSize - 1) / blockSize))
        for b in blocks { retain(b) }
        var forked = KVSequence(blocks: blocks, tokens: Array(seq.tokens.prefix(n)))
        forked.promptComputed = min(seq.promptComputed, n)
        return forked
    }
}

/// One sequence's view of the cache: its block table and the tokens whose keys and values are stored.
public struct KVSequence: Sendable {
    var blocks: [Int] = []
    /// Tokens at positions 0..<count, so a later prompt can reuse the longest common prefix.
    public internal(set) var tokens: [TokenID] = []
    /// Leading positions whose keys and values were computed as rows of a prompt chunk, in the order llama.cpp's
    /// prompt processing sums (see `Transformer.promptChunkRows`). Only these may serve as a later prompt's
    /// cached prefix: positions computed while decoding carry one-token arithmetic, which differs in the last bits
    /// from what a cold run of that prompt computes, so reusing them would make a cached turn differ from a cold one.
    var promptComputed = 0

    public init() {}
    init(blocks: [Int], tokens: [TokenID]) {
        self.blocks = blocks
        self.tokens = tokens
    }

    public var count: Int { tokens.count }
}
