// Chooses how many tokens to draft: from the running acceptance rate and the measured cost of verifying n rows,
// it picks the draft length with the best expected tokens per second, and none when drafting does not pay.
import Foundation

/// Measured forward-pass times by row count, shared by all sequences of a scheduler.
struct StepCostModel {
    /// Exponential moving averages of seconds per forward pass, indexed by rows (1...maxRows).
    private(set) var seconds: [Double]
    private(set) var samples: [Int]

    init(maxRows: Int = 64) {
        seconds = [Double](repeating: 0, count: maxRows + 1)
        samples = [Int](repeating: 0, count: maxRows + 1)
    }

    mutating func record(rows: Int, seconds s: Double) {
        guard rows > 0, rows < seconds.count, s > 0 else { return }
        seconds[rows] = samples[rows] == 0 ? s : seconds[rows] * 0.8 + s * 0.2
        samples[rows] += 1
    }

    /// Estimated seconds for a pass of `rows` rows: measured if known, else interpolated from the nearest
    /// measured row counts, else a prior (each extra row adds 8% of a single-row pass).
    func estimate(rows: Int) -> Double {
        let r = min(max(rows, 1), seconds.count - 1)
        if samples[r] > 0 { return seconds[r] }
        var lo = r - 1
        while lo >= 1 && samples[lo] == 0 { lo -= 1 }
        var hi = r + 1
        while hi < seconds.count && samples[hi] == 0 { hi += 1 }
        if lo >= 1 && hi < seconds.count {
            let f = Double(r - lo) / Double(hi - lo)
            return seconds[lo] + f * (seconds[hi] - seconds[lo])
        }
        if lo >= 1 { return seconds[lo] * (1 + 0.08 * Double(r - lo)) }
        if hi < seconds.count { return seconds[hi] / (1 + 0.08 * Double(hi - r)) }
        return 0.004 * (1 + 0.08 * Double(r - 1))
    }
}

/// Per-sequence draft-length policy.
struct DraftController {
    let maxDraft: Int
    let adaptive: Bool
    /// Running per-token acceptance probability.
    private(set) var acceptance: Double = 0.5
    /// Measured seconds the drafter spends per drafted token (0 for lookup; a forward pass for model drafters).
    private(set) var draftSecondsPerToken: Double = 0
    private var draftSamples = 0
    private var idleSteps = 0
    /// Steps between probes while drafting is off; doubles after each probe that gains nothing.
    private var probeInterval = 16
    private var probing = false

    init(options: SpeculationOptions) {
        maxDraft = options.maxDraft
        adaptive = options.adaptive
    }

    /// The draft length to ask for now (0 = decode plainly this step).
    mutating func draftLength(cost: StepCostModel) -> Int {
        guard adaptive else { return maxDraft }
        let a = min(acceptance, 0.98)
        let plain = 1 / cost.estimate(rows: 1)
        var best = 0
        var bestRate = plain * 1.05  // drafting must beat plain decoding by 5% to be worth its variance
        for k in 1...max(1, maxDraft) {
            let expected = (1 - pow(a, Double(k + 1))) / (1 - a)
            let rate = expected / (cost.estimate(rows: k + 1) + Double(k) * draftSecondsPerToken)
            if rate > bestRate {
                bestRate = rate
                best = k
            }
        }
        if best == 0 {
            // Probe now and then so a change of workload (an echo starts) is noticed; back off while probes fail.
            idleSteps += 1
            if idleSteps >= probeInterval {
                idleSteps = 0
                probing = true
                return 2
            }
        }
        return best
    }

    /// Records how long drafting `count` tokens took.
    mutating func recordDraftTime(_ seconds: Double, tokens count: Int) {
        guard count > 0, seconds >= 0 else { return }
        let perToken = seconds / Double(count)
        draftSecondsPerToken = draftSamples == 0 ? perToken : draftSecondsPerToken * 0.7 + perToken * 0.3
        draftSamples += 1
    }

    /// Updates the acceptance estimate after a verification of `drafted` tokens of which `accepted` were kept.
    mutating func record(drafted: Int, accepted: Int) {
        guard drafted > 0 else { return }
        // Per-token acceptance from a truncated geometric observation.
        let observed = Double(accepted) / Double(drafted)
        acceptance = acceptance * 0.7 + observed * 0.3
        if probing {
            probing = false
            probeInterval = accepted == 0 ? min(probeInterval * 2, 512) : 16
        }
    }
}
