// What a forward pass of n rows costs, learned from the scheduler's own passes: the draft-length policy weighs
// the tokens a verification may yield against these seconds.

/// Measured forward-pass times by row count, shared by all sequences of a scheduler.
///
/// Why learned and not assumed: how much an extra row costs depends on the model and the machine. A large model
/// on a wide machine is bandwidth-bound and verifies 8 drafts for little more than one step; SmolLM2-135M on two
/// cores pays about a quarter of a step per extra row, and the kernels' token tiles make some row counts nearly
/// free (3 → 4 rows) and others expensive (4 → 5).
struct StepCostModel {
    /// Exponential moving averages of seconds per forward pass, indexed by rows (1...maxRows).
    private(set) var seconds: [Double]
    private(set) var samples: [Int]
    /// Extra cost of each row beyond the first, as a fraction of a one-row pass, assumed until two row counts
    /// have been measured. Pessimistic for large models, about right for small ones on few cores: an optimistic
    /// guess would make the first drafts of a costly drafter lose time before anything is measured.
    static let priorRowFraction = 0.25

    init(maxRows: Int = 64) {
        seconds = [Double](repeating: 0, count: maxRows + 1)
        samples = [Int](repeating: 0, count: maxRows + 1)
    }

    mutating func record(rows: Int, seconds s: Double) {
        guard rows > 0, rows < seconds.count, s > 0 else { return }
        seconds[rows] = samples[rows] == 0 ? s : seconds[rows] * 0.8 + s * 0.2
        samples[rows] += 1
    }

    /// Estimated seconds for a pass of `rows` rows: measured if known; else interpolated between the nearest
    /// measured row counts; else extrapolated along the slope of the two nearest measured ones; else a prior.
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
        // Only one side measured: extend the line through the two nearest measurements on that side, never
        // letting a row cost less than the prior's tenth (a noisy pair must not make rows look free).
        let near = lo >= 1 ? lo : hi
        let step = lo >= 1 ? -1 : 1
        var far = near + step
        while far >= 1 && far < seconds.count && samples[far] == 0 { far += step }
        let base = near < seconds.count && near >= 1 ? seconds[near] : 0
        if base == 0 { return 0.004 * (1 + Self.priorRowFraction * Double(r - 1)) }
        let one = samples[1] > 0 ? seconds[1] : base / (1 + Self.priorRowFraction * Double(near - 1))
        var perRow = Self.priorRowFraction * one
        if far >= 1 && far < seconds.count {
            perRow = max(0.1 * perRow, (seconds[near] - seconds[far]) / Double(near - far))
        }
        return max(base + perRow * Double(r - near), 0.1 * one)
    }
}
