// Measures what a verification pass costs: the seconds of one forward pass of n rows (all wanting logits, as
// speculative verification runs them) after a cache of a given length. `tokenworks bench --spec-cost` prints it.
import Foundation

extension InferenceEngine {
    /// Median seconds of a forward pass of `rows` consecutive rows (each wanting logits) placed after `context`
    /// cached positions, for each entry of `rows`; the cache is filled once with arbitrary tokens.
    ///
    /// Why: speculation pays only when verifying k drafts costs little more than one decode step; this is the
    /// curve the draft controller learns online, measured in isolation so it can be compared across changes.
    public func passCost(context: Int, rows: [Int], repetitions: Int) async throws -> [Double] {
        let longest = rows.max() ?? 1
        guard context >= 2, context + longest < contextSize else {
            throw InferenceError.contextOverflow(promptTokens: context + longest, contextSize: contextSize)
        }
        let vocab = config.vocabularySize
        let result: [Double]? = await withModel { transformer, pool in
            var seq = KVSequence()
            defer { pool.clear(&seq) }
            guard pool.reserve(&seq, length: context + longest, writeFrom: 0) else { return nil }
            var rng = RandomSource(seed: 7)
            let prompt = (0..<context).map { i in
                BatchRow(token: TokenID(Int(rng.next() % UInt64(vocab))), position: i, slot: 0,
                         wantsLogits: i == context - 1)
            }
            let logits = UnsafeMutablePointer<Float>.allocate(capacity: longest * vocab)
            defer { logits.deallocate() }
            let tables = [seq.blocks]
            prompt.withUnsafeBufferPointer { transformer.forward(rows: $0, tables: tables, pool: pool, logits: logits) }
            var out: [Double] = []
            for n in rows {
                let batch = (0..<n).map { j in
                    BatchRow(token: TokenID(Int(rng.next() % UInt64(vocab))), position: context + j, slot: 0,
                             wantsLogits: true)
                }
                var times: [Double] = []
                for _ in 0..<max(1, repetitions) {
                    let began = MonotonicClock.now()
                    batch.withUnsafeBufferPointer {
                        transformer.forward(rows: $0, tables: tables, pool: pool, logits: logits)
                    }
                    times.append(MonotonicClock.now() - began)
                }
                times.sort()
                out.append(times[times.count / 2])
            }
            return out
        }
        guard let result else {
            throw InferenceError.contextOverflow(promptTokens: context + longest, contextSize: contextSize)
        }
        return result
    }
}
