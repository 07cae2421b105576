// How a prefill product (many tokens) is split over the thread pool: row chunks × token tiles, handed out one at a
// time, so the threads finish together whatever the matrix's height.

extension MatMulEngine {
    /// Tokens per tile: 64 rows of Q8_0 activations of a 1536-column matrix are ~100 KB, which stays in L2 while a
    /// row chunk's weights pass over them.
    static let tokenTile = 64

    /// Runs `body(rowRange, tokenRange)` over every (row chunk, token tile) of a rows × tokens product on the pool.
    ///
    /// Why two dimensions: splitting rows alone gave each thread a few long chunks (a 192-row matrix on 2 threads:
    /// 4 chunks of 48 rows × all 512 tokens), and the thread that started late or ran slower left the other idle at
    /// the end of every product — measured as 5-8 % of prefill time spent waiting in the pool. With token tiles a
    /// 512-token product has ≥ 24 items of similar cost, claimed dynamically. Row chunks are a multiple of the
    /// kernel's row tile (`multiple`), at most 64 rows, and small enough for about 8 items per thread.
    func forEachPrefillTile(rows: Int, tokens: Int, multiple: Int, _ body: (Range<Int>, Range<Int>) -> Void) {
        let tile = MatMulEngine.tokenTile
        let tiles = (tokens + tile - 1) / tile
        let chunk = MatMulEngine.prefillRowChunk(rows: rows, tiles: tiles, threads: pool.threadCount,
                                                 multiple: multiple)
        let chunks = (rows + chunk - 1) / chunk
        pool.parallelFor(chunks * tiles, chunk: 1) { _, items in
            for item in items {
                let r = item / tiles * chunk, t = item % tiles * tile
                body(r..<min(rows, r + chunk), t..<min(tokens, t + tile))
            }
        }
    }

    /// Rows per prefill item: a multiple of `multiple`, at most 64, aiming at 8 items per thread in all.
    static func prefillRowChunk(rows: Int, tiles: Int, threads: Int, multiple: Int) -> Int {
        let wanted = rows * tiles / max(1, 8 * threads)
        let rounded = (wanted + multiple - 1) / multiple * multiple
        return min(max(rounded, multiple), max(64, multiple))
    }
}
