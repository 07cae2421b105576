// Chooses, per step, which drafter may propose and how many tokens: each drafter's draft length grows while its
// drafts are accepted in full (slow start), and a drafter is switched off while its running acceptance says
// drafting loses time against plain decoding, with rare probes to notice when it starts paying again.

/// Per-sequence draft policy over the sequence's drafters (kept in the same order).
///
/// Why slow start rather than the length with the best expected rate under a constant per-token acceptance:
/// acceptance is bursty. While the answer copies the prompt every token is accepted, and at the end of the copy
/// none is; a constant-rate model averages the two and drafts too short inside the copy. Doubling after each fully
/// accepted draft (3 → 7 → 15: 4, 8 and 16 rows, the kernels' token tiles) and falling back to 3 at the first
/// rejection tracks both. The expected-rate test still decides whether a drafter drafts at all, so one whose
/// drafts are mostly rejected (or cost a forward pass each and are rarely right) stops costing time.
struct DraftController {
    /// Running statistics of one drafter.
    struct DrafterState {
        /// What one drafted token costs to produce, as a fraction of a one-row forward pass (0: prompt lookup).
        let relativeCost: Double
        /// Decayed counts of accepted drafts and of rejections: the per-token acceptance of a geometric model
        /// observed up to the first rejection is accepted / (accepted + rejections).
        var accepted: Double
        var rejections: Double
        /// Measured seconds per drafted token (nil until measured; the prior is relativeCost × a one-row pass)
        /// and how many drafts it was measured on.
        var secondsPerToken: Double?
        var timedDrafts = 0
        /// The slow-start draft length.
        var length: Int
        /// Steps since this drafter last drafted while switched off, and the steps between probes.
        var idleSteps = 0
        var probeInterval: Int
        var probing = false
        /// Whether the expected-rate test decides this drafter's steps. Once the test has switched it off, only a
        /// probe whose draft is accepted switches it on again: the test weighs noisy timings, and letting it flip
        /// back on by itself made a losing drafter draft again and again right after every rejected probe.
        var on = true

        var acceptance: Double { accepted / max(accepted + rejections, 1e-9) }
    }

    static let initialLength = 3
    /// Prior acceptance (weight of four drafts): optimistic enough that a free drafter tries its first matches.
    static let priorAcceptance = 0.7
    static let priorWeight = 4.0
    /// Weight of older observations per new one.
    static let decay = 0.9
    /// Drafting must promise this much over plain decoding: estimates are noisy, and a draft that is rejected
    /// still costs its verification rows.
    static let margin = 1.05

    /// Steps between probes of a switched-off drafter: a failed probe of prompt lookup costs only its
    /// verification rows, one of a model drafter also its forward passes, so those probe four times more rarely.
    static func probeInterval(relativeCost: Double) -> Int { relativeCost > 0 ? 64 : 16 }

    let maxDraft: Int
    let adaptive: Bool
    private(set) var drafters: [DrafterState]

    /// - Parameter relativeCosts: per drafter, the cost of one drafted token as a fraction of a one-row pass.
    init(options: SpeculationOptions, relativeCosts: [Double]) {
        maxDraft = options.maxDraft
        adaptive = options.adaptive
        drafters = relativeCosts.map { cost in
            DrafterState(relativeCost: cost, accepted: Self.priorAcceptance * Self.priorWeight,
                         rejections: (1 - Self.priorAcceptance) * Self.priorWeight,
                         length: min(Self.initialLength, options.maxDraft),
                         probeInterval: Self.probeInterval(relativeCost: cost))
        }
    }

    /// Running per-token acceptance of drafter `i`.
    func acceptance(_ i: Int) -> Double { drafters[i].acceptance }

    /// How many tokens drafter `i` may propose now (0: skip it this step).
    mutating func draftLength(_ i: Int, cost: StepCostModel) -> Int {
        guard adaptive else { return maxDraft }
        guard drafters.indices.contains(i), maxDraft > 0 else { return 0 }
        var d = drafters[i]
        defer { drafters[i] = d }
        let one = cost.estimate(rows: 1)
        let perToken = Self.draftCost(d, one: one)
        let a = min(d.acceptance, 0.99)
        let plainRate = Self.margin / one
        var best = 0
        var bestRate = plainRate
        for k in 1...max(1, d.length) {
            let expected = (1 - pow(a, k + 1)) / (1 - a)
            var seconds = cost.estimate(rows: k + 1) + Double(k) * perToken
            if d.relativeCost > 0 {
                // A drafter that costs forward passes must also pay at the structural prices (a quarter step per
                // extra row, its multiply-adds per drafted token): its verification rows and drafts are timed
                // rarely, and on a loaded machine one fast sample next to slow one-row passes made it look cheap.
                let structural = one * (1 + StepCostModel.priorRowFraction * Double(k) + Double(k) * d.relativeCost)
                seconds = max(seconds, structural)
            }
            let rate = expected / seconds
            if rate > bestRate {
                bestRate = rate
                best = k
            }
        }
        if d.on && best > 0 {
            d.idleSteps = 0
            // A free drafter proposes its whole slow-start length: inside a copy that is what pays. A costly one
            // drafts the length with the best expected rate.
            return d.relativeCost == 0 ? d.length : best
        }
        if d.on {
            d.on = false
            d.idleSteps = 0
        }
        // Switched off: probe now and then so a change of workload (an echo starts) is noticed; back off while
        // probes find nothing. A probe stays due until a draft is verified (lookup may find no match for a while).
        d.idleSteps += 1
        if d.idleSteps >= d.probeInterval {
            d.probing = true
            return d.relativeCost == 0 ? min(Self.initialLength, maxDraft) : 1
        }
        return 0
    }

    /// Records how long drafter `i` took to draft `count` tokens.
    mutating func recordDraftTime(_ i: Int, seconds: Double, tokens count: Int) {
        guard drafters.indices.contains(i), count > 0, seconds >= 0 else { return }
        let perToken = seconds / Double(count)
        drafters[i].secondsPerToken = drafters[i].secondsPerToken.map { $0 * 0.7 + perToken * 0.3 } ?? perToken
        drafters[i].timedDrafts += 1
    }

    /// Weight, in drafts, of the structural prior on a drafter's cost against its measured cost.
    static let costPriorWeight = 2.0

    /// Seconds one drafted token costs: the measured figure blended with the structural prior (its multiply-adds
    /// relative to the target's, times a one-row pass). Why not the measurement alone: the first probes are
    /// single timings on a shared machine, and one lucky one made a losing self-drafter look worth switching on.
    static func draftCost(_ d: DrafterState, one: Double) -> Double {
        let prior = d.relativeCost * one
        guard let measured = d.secondsPerToken, d.timedDrafts > 0 else { return prior }
        let n = Double(min(d.timedDrafts, 8))
        return (measured * n + prior * costPriorWeight) / (n + costPriorWeight)
    }

    /// Updates drafter `i` after a verification of `drafted` tokens of which the first `accepted` were kept.
    mutating func record(_ i: Int, drafted: Int, accepted: Int) {
        guard drafters.indices.contains(i), drafted > 0 else { return }
        var d = drafters[i]
        defer { drafters[i] = d }
        let rejected = accepted < drafted
        d.accepted = d.accepted * Self.decay + Double(accepted)
        d.rejections = d.rejections * Self.decay + (rejected ? 1 : 0)
        d.length = rejected ? min(Self.initialLength, maxDraft) : min(maxDraft, 2 * d.length + 1)
        if d.probing {
            d.probing = false
            d.idleSteps = 0
            let base = Self.probeInterval(relativeCost: d.relativeCost)
            d.probeInterval = accepted == 0 ? min(d.probeInterval * 2, 1024) : base
            // An accepted probe hands the decision back to the expected-rate test (which now counts it).
            if accepted > 0 { d.on = true }
        }
    }
}

extension DraftController {
    /// Multiply-adds of one token through a model: the matrices of every layer and the output head. The cost of
    /// a draft model's token relative to the target's pass, before either is measured.
    static func tokenWork(_ c: ModelConfig, layers: Int? = nil) -> Double {
        let d = Double(c.embeddingLength)
        let perLayer = d * Double(c.queryDimension + 2 * c.kvDimension) + Double(c.queryDimension) * d
            + 3 * d * Double(c.feedForwardLength)
        return Double(min(layers ?? c.layerCount, c.layerCount)) * perLayer + d * Double(c.vocabularySize)
    }
}

private func pow(_ x: Double, _ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<max(0, n) { r *= x }
    return r
}
