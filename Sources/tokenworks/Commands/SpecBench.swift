// `tokenworks bench --spec FORMS`: tokens/s of each speculative form against plain decoding on the committed
// workloads (bench/spec-workloads.json), with acceptance rates and min/median/max over repetitions.
import Foundation
import Inference

/// One workload of the speculative benchmark.
struct SpecWorkload: Decodable {
    var name: String
    var kind: String
    var prompt: String
}

struct SpecBench {
    struct Row: Encodable {
        var workload: String
        var form: String
        var tokensPerSecond: BenchCommand.Summary
        var speedup: Double
        var acceptanceRate: Double
        var tokens: Int
        /// Share of the generation's wall time spent inside forward passes (the rest is the generate path's
        /// own per-token work: scheduling, sampling, drafting, streaming events).
        var passShare: Double
    }

    let engine: InferenceEngine
    let forms: [String]
    let repetitions: Int
    let maxTokens: Int

    /// Loads the workloads from `path` (a JSON file with a "workloads" array).
    static func workloads(at path: String) throws -> [SpecWorkload] {
        struct File: Decodable { var workloads: [SpecWorkload] }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CLIError.unreadableFile(path, error.localizedDescription)
        }
        do { return try JSONDecoder().decode(File.self, from: data).workloads } catch {
            throw CLIError.invalidJSON(file: path, detail: "\(error)")
        }
    }

    func run(_ workloads: [SpecWorkload]) async throws -> [Row] {
        var rows: [Row] = []
        for w in workloads {
            let tokens = try engine.chatTokens(messages: [.user(w.prompt)])
            var plainRates: [Double] = []
            var plainShare: [Double] = []
            var results: [String: (rates: [Double], paired: [Double], drafted: Int, accepted: Int, generated: Int,
                                   share: [Double])] = [:]
            // Each run of a form follows a plain run of its own, so the two see nearly the same machine.
            for _ in 0..<repetitions {
                for form in forms {
                    let p = try await measure(tokens, .none)
                    plainRates.append(p.rate)
                    plainShare.append(Self.passShare(p.stats))
                    let spec = try SpeculationOptions(parsing: form)
                    let m = try await measure(tokens, spec)
                    var r = results[form] ?? ([], [], 0, 0, 0, [])
                    r.rates.append(m.rate)
                    r.paired.append(p.rate)
                    r.share.append(Self.passShare(m.stats))
                    r.drafted += m.stats.draftedTokens
                    r.accepted += m.stats.acceptedTokens
                    r.generated = m.stats.generatedTokens
                    results[form] = r
                }
            }
            let plain = BenchCommand.Summary(plainRates)
            rows.append(Row(workload: w.name, form: "none", tokensPerSecond: plain, speedup: 1, acceptanceRate: 0,
                            tokens: 0, passShare: BenchCommand.Summary(plainShare).median))
            for form in forms {
                guard let r = results[form] else { continue }
                let s = BenchCommand.Summary(r.rates)
                rows.append(Row(workload: w.name, form: form, tokensPerSecond: s,
                                speedup: Self.pairedSpeedup(r.rates, r.paired),
                                acceptanceRate: r.drafted > 0 ? Double(r.accepted) / Double(r.drafted) : 0,
                                tokens: r.generated, passShare: BenchCommand.Summary(r.share).median))
            }
        }
        return rows
    }

    /// One greedy generation from a cold cache; the rate counts every generated token over the time after the
    /// prompt (the decode phase speculation speeds up).
    private func measure(_ tokens: [TokenID], _ spec: SpeculationOptions) async throws -> (rate: Double, stats: CallStats) {
        engine.dropCaches()
        let params = GenerationParameters(maxTokens: maxTokens, sampling: .greedy, speculation: spec)
        var stats = CallStats()
        for try await event in engine.generate(tokens: tokens, parameters: params) {
            if case .finished(_, let s) = event { stats = s }
        }
        let decode = stats.endTime - stats.firstTokenTime
        let rate = decode > 0 && stats.generatedTokens > 1 ? Double(stats.generatedTokens - 1) / decode : 0
        return (rate, stats)
    }

    /// The median over repetitions of each run's rate over the plain run just before it. Why paired: on a shared
    /// machine the load drifts during a benchmark, and a ratio of two medians taken at different moments moved by
    /// ±10% between identical runs; runs next to each other see nearly the same machine.
    static func pairedSpeedup(_ rates: [Double], _ plain: [Double]) -> Double {
        let ratios = zip(rates, plain).compactMap { $1 > 0 ? $0 / $1 : nil }
        return BenchCommand.Summary(ratios).median
    }

    /// Forward-pass seconds over wall seconds of one generation (prompt included in both).
    static func passShare(_ s: CallStats) -> Double {
        s.totalSeconds > 0 ? min(1, s.computeSeconds / s.totalSeconds) : 0
    }

    static func printTable(_ rows: [Row]) {
        print("workload    form           tok/s min / median / max        speedup   acceptance   in passes")
        for r in rows {
            let t = String(format: "%7.1f / %7.1f / %7.1f", r.tokensPerSecond.min, r.tokensPerSecond.median,
                           r.tokensPerSecond.max)
            let acc = r.form == "none" ? "     -" : String(format: "%5.1f%%", r.acceptanceRate * 100)
            print("\(r.workload.padding(toLength: 11, withPad: " ", startingAt: 0)) \(r.form.padding(toLength: 14, withPad: " ", startingAt: 0)) \(t)     \(String(format: "%5.2f×", r.speedup))    \(acc)       \(String(format: "%5.1f%%", r.passShare * 100))")
        }
    }

    /// `--spec-cost N`: milliseconds of one forward pass of n rows after N cached positions, and its ratio to a
    /// one-row pass (what verifying n − 1 drafts costs in decode steps).
    static func printPassCost(_ engine: InferenceEngine, context: Int, repetitions: Int) async throws {
        let rows = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16]
        _ = try await engine.passCost(context: context, rows: [1, 4], repetitions: 1)  // warm-up
        let seconds = try await engine.passCost(context: context, rows: rows, repetitions: repetitions)
        print("model: \(engine.path), \(context) cached positions, median of \(repetitions)")
        print("rows     ms   × one row")
        for (n, s) in zip(rows, seconds) {
            print(String(format: "%4d %7.2f   %6.2f", n, s * 1000, s / max(seconds[0], 1e-12)))
        }
    }
}
