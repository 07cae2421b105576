// Decides which drafted tokens the target model agrees with, from one batched pass over [pending, d1…dk].
// Greedy: keep drafts while they equal the target's argmax. Sampling: keep draft d with probability p(d) (the
// draft distribution is a point mass because drafts are greedy), and on rejection sample from p with d removed —
// the speculative sampling rule (Leviathan et al. 2023; Chen et al. 2023), which leaves the output
// distribution exactly the target's.

enum Verifier {
    /// The tokens to emit: the accepted drafts followed by one token from the target (a correction, or a bonus
    /// when every draft was accepted), so a verification pass always yields at least one token.
    /// - Parameters:
    ///   - logits: (drafts.count + 1) rows of vocabulary logits; row i scores the token after drafts[0..<i].
    static func acceptPrefix(logits: UnsafeMutablePointer<Float>, vocabulary: Int, drafts: [TokenID],
                             sampler: inout Sampler) -> (tokens: [TokenID], acceptedDrafts: Int) {
        var out: [TokenID] = []
        out.reserveCapacity(drafts.count + 1)
        for (i, d) in drafts.enumerated() {
            let row = logits + i * vocabulary
            if sampler.parameters.isGreedy {
                let t = sampler.sample(row, count: vocabulary)
                sampler.accept(t)
                out.append(t)
                if t != d { return (out, i) }
            } else {
                let p = sampler.distribution(row, count: vocabulary)
                let pd = p.first { $0.token == d }?.probability ?? 0
                if sampler.uniform() < pd {
                    sampler.accept(d)
                    out.append(d)
                    continue
                }
                // Rejected: sample from the residual max(0, p − q) ∝ p without d.
                let residual = p.filter { $0.token != d }
                let total = residual.reduce(Float(0)) { $0 + $1.probability }
                let t: TokenID
                if total > 0 {
                    t = sampler.draw(from: residual.map { TokenProbability(token: $0.token, probability: $0.probability / total) })
                } else {
                    t = d
                }
                sampler.accept(t)
                out.append(t)
                return (out, i)
            }
        }
        // Every draft accepted: the last row gives a bonus token.
        let row = logits + drafts.count * vocabulary
        let t = sampler.sample(row, count: vocabulary)
        sampler.accept(t)
        out.append(t)
        return (out, drafts.count)
    }
}
