// Turns logits into the next token: penalties, filters, temperature and a seeded draw. Scratch space is
// allocated once per vocabulary size, so sampling allocates nothing per token.
import Foundation

/// A token with its probability after filtering; what speculative verification compares draft and target on.
public struct TokenProbability: Sendable, Equatable {
    public var token: TokenID
    public var probability: Float

    public init(token: TokenID, probability: Float) {
        self.token = token
        self.probability = probability
    }
}

/// Stateful sampler of one sequence (its RNG and recent-token window).
public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    private var random: RandomSource
    /// Tokens seen recently (prompt tail and generated), newest last, for the penalties.
    private var recent: [TokenID] = []
    private var candidates: [Candidate] = []

    struct Candidate { var token: TokenID; var logit: Float; var p: Float }

    public init(parameters: SamplingParameters) {
        self.parameters = parameters
        self.random = RandomSource(seed: parameters.seed ?? UInt64.random(in: 0...UInt64.max))
    }

    /// Records a token in the penalty window (prompt tokens and every accepted token).
    public mutating func accept(_ token: TokenID) {
        guard parameters.hasPenalties, parameters.penaltyWindow > 0 else { return }
        recent.append(token)
        if recent.count > parameters.penaltyWindow * 2 { recent.removeFirst(recent.count - parameters.penaltyWindow) }
    }

    /// Chooses the next token from `logits` (vocabulary-sized). Greedy ties go to the lowest id, as in llama.cpp.
    public mutating func sample(_ logits: UnsafeMutablePointer<Float>, count: Int) -> TokenID {
        applyPenalties(logits, count: count)
        if parameters.isGreedy { return Self.argmax(logits, count: count) }
        let dist = distribution(logits, count: count, penalized: true)
        return draw(from: dist)
    }

    /// The filtered, temperature-scaled distribution the sampler draws from (sorted by probability, descending).
    /// Speculative sampling needs it to accept or reject drafted tokens without changing the output distribution.
    public mutating func distribution(_ logits: UnsafeMutablePointer<Float>, count: Int,
                                      penalized: Bool = false) -> [TokenProbability] {
        if !penalized { applyPenalties(logits, count: count) }
        if parameters.isGreedy {
            return [TokenProbability(token: Self.argmax(logits, count: count), probability: 1)]
        }
        selectTopK(logits, count: count)
        // Softmax at temperature 1 for the probability filters.
        let maxLogit = candidates.first?.logit ?? 0
        var sum: Float = 0
        for i in candidates.indices {
            let e = expf(candidates[i].logit - maxLogit)
            candidates[i].p = e
            sum += e
        }
        for i in candidates.indices { candidates[i].p /= sum }
        // top-p: smallest prefix reaching p (always at least one token).
        if parameters.topP < 1 {
            var cumulative: Float = 0
            var keep = candidates.count
            for i in candidates.indices {
                cumulative += candidates[i].p
                if cumulative >= parameters.topP { keep = i + 1; break }
            }
            candidates.removeLast(candidates.count - keep)
        }
        // min-p relative to the most likely token.
        if parameters.minP > 0, let top = candidates.first?.p {
            let threshold = top * parameters.minP
            var keep = candidates.count
            while keep > 1 && candidates[keep - 1].p < threshold { keep -= 1 }
            candidates.removeLast(candidates.count - keep)
        }
        // Temperature, then the final probabilities.
        let inv = 1 / parameters.temperature
        let top = candidates.first?.logit ?? 0
        sum = 0
        for i in candidates.indices {
            let e = expf((candidates[i].logit - top) * inv)
            candidates[i].p = e
            sum += e
        }
        return candidates.map { TokenProbability(token: $0.token, probability: $0.p / sum) }
    }

    /// Draws a token from a distribution with this sampler's random stream.
    public mutating func draw(from dist: [TokenProbability]) -> TokenID {
        let u = random.nextUnitFloat()
        var cumulative: Float = 0
        for entry in dist {
            cumulative += entry.probability
            if u < cumulative { return entry.token }
        }
        return dist.last?.token ?? 0
    }

    /// A uniform number from the sampler's stream (speculative acceptance tests use the same stream).
    public mutating func uniform() -> Float { random.nextUnitFloat() }

    /// The first index of the largest logit (NaNs never win; 0 when nothing beats −∞). Runs once per row of every
    /// verification, so it is vectorised: one pass for the maximum over 16 lanes, one for its first position.
    static func argmax(_ logits: UnsafePointer<Float>, count: Int) -> TokenID {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        let raw = UnsafeRawPointer(logits)
        while i + 16 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            lanes.replace(with: v, where: v .> lanes)
            i += 16
        }
        var top = lanes.max()
        while i < count {
            if logits[i] > top { top = logits[i] }
            i += 1
        }
        guard top > -.infinity else { return 0 }
        for j in 0..<count where logits[j] == top { return TokenID(j) }
        return 0
    }

    private func applyPenalties(_ logits: UnsafeMutablePointer<Float>, count: Int) {
        guard parameters.hasPenalties, !recent.isEmpty else { return }
        let window = recent.suffix(parameters.penaltyWindow)
        var counts: [TokenID: Int] = [:]
        for t in window { counts[t, default: 0] += 1 }
        for (t, n) in counts where t >= 0 && Int(t) < count {
            var l = logits[Int(t)]
            if parameters.repetitionPenalty != 1 {
                l = l > 0 ? l / parameters.repetitionPenalty : l * parameters.repetitionPenalty
            }
            l -= Float(n) * parameters.frequencyPenalty + parameters.presencePenalty
            logits[Int(t)] = l
        }
    }

    /// Fills `candidates` with the top-k logits (all when k is 0), sorted descending.
    private mutating func selectTopK(_ logits: UnsafePointer<Float>, count: Int) {
        candidates.removeAll(keepingCapacity: true)
        let k = parameters.topK > 0 ? min(parameters.topK, count) : count
        if k == count {
            candidates.reserveCapacity(count)
            for i in 0..<count { candidates.append(Candidate(token: TokenID(i), logit: logits[i], p: 0)) }
            candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.token < $1.token) }
            return
        }
        // Keep a small sorted array of the best k (k is small in practice: 40).
        candidates.reserveCapacity(k + 1)
        var minKept = -Float.infinity
        for i in 0..<count {
            let l = logits[i]
            if candidates.count == k && l <= minKept { continue }
            var pos = candidates.count
            while pos > 0 && candidates[pos - 1].logit < l { pos -= 1 }
            candidates.insert(Candidate(token: TokenID(i), logit: l, p: 0), at: pos)
            if candidates.count > k { candidates.removeLast() }
            if candidates.count == k { minKept = candidates[k - 1].logit }
        }
    }
}
