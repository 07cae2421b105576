// `tokenworks bench --batch 1,2,4,8`: continuous-batching throughput. B sequences of a P-token prompt start
// together and generate N tokens each; aggregate and per-sequence tokens/s and latency, side by side with
// llama.cpp's `llama-batched-bench` (same prompt/generation/thread figures) on the same file.
import Foundation
import Inference

struct BatchBench {
    /// What one side measured for one batch size (medians over repetitions where several were run).
    struct Figures: Encodable {
        /// Prompt tokens of all sequences over the time until every sequence had its first token.
        var promptTokensPerSecond: Double
        /// Generated tokens of all sequences over the decode phase (N forward passes of B rows).
        var aggregateTokensPerSecond: Double
        /// One sequence's share: aggregate / B.
        var perSequenceTokensPerSecond: Double
        /// Mean time between two tokens of one sequence, in milliseconds.
        var perSequenceLatencyMilliseconds: Double
        /// Time from submission to the last sequence's first token, in seconds.
        var timeToFirstToken: Double
        /// The 10th percentile of the decode steps' durations, in milliseconds: close to what a step costs when
        /// no other process competes for the cores (a shared machine only ever adds time), so batch sizes can be
        /// compared on a busy machine. 0 for llama.cpp (it reports totals only).
        var fastStepMilliseconds: Double = 0
    }

    struct Row: Encodable {
        var batch: Int
        var threads: Int
        var ours: Figures
        /// Aggregate generation speed over repetitions.
        var oursAggregate: BenchCommand.Summary
        var llama: Figures?
        /// ours / llama, aggregate generation.
        var ratio: Double?
        /// Aggregate generation relative to batch 1 of the same side.
        var scaling: Double
        var llamaScaling: Double?
    }

    let engine: InferenceEngine
    let modelPath: String
    let threads: Int
    let promptLength: Int
    let generateLength: Int
    let repetitions: Int
    let peer: LlamaBatchedBenchPeer?

    func run(_ batchSizes: [Int]) async throws -> [Row] {
        let vocab = engine.config.vocabularySize
        // Warm-up: touch every weight page and grow the scratch buffers to the largest batch.
        _ = try await measure(prompts: randomPrompts(count: batchSizes.max() ?? 1, vocab: vocab, seed: 7))
        var rows: [Row] = []
        for b in batchSizes {
            var ours: [Figures] = []
            var theirs: [Figures] = []
            for r in 0..<repetitions {
                ours.append(try await measure(prompts: randomPrompts(count: b, vocab: vocab, seed: UInt64(100 * b + r))))
                if let peer, let f = peer.run(model: modelPath, prompt: promptLength, gen: generateLength, batch: b,
                                              threads: threads) {
                    theirs.append(f)
                }
            }
            let o = Self.median(ours)
            let l = theirs.isEmpty ? nil : Self.median(theirs)
            rows.append(Row(batch: b, threads: threads, ours: o,
                            oursAggregate: BenchCommand.Summary(ours.map(\.aggregateTokensPerSecond)), llama: l,
                            ratio: l.flatMap { $0.aggregateTokensPerSecond > 0
                                ? o.aggregateTokensPerSecond / $0.aggregateTokensPerSecond : nil },
                            scaling: 1, llamaScaling: nil))
        }
        // Scaling against the smallest batch measured (batch 1 when it is in the list).
        if let base = rows.first {
            for i in rows.indices {
                rows[i].scaling = rows[i].ours.aggregateTokensPerSecond / max(base.ours.aggregateTokensPerSecond, 1e-9)
                if let l = rows[i].llama, let lb = base.llama {
                    rows[i].llamaScaling = l.aggregateTokensPerSecond / max(lb.aggregateTokensPerSecond, 1e-9)
                }
            }
        }
        return rows
    }

    private func randomPrompts(count: Int, vocab: Int, seed: UInt64) -> [[TokenID]] {
        var rng = RandomSource(seed: seed)
        return (0..<count).map { _ in (0..<promptLength).map { _ in TokenID(Int(rng.next() % UInt64(vocab))) } }
    }

    /// One run: every prompt submitted at once from a cold cache, each generating `generateLength` tokens after
    /// the one its prompt yields (so the decode phase is `generateLength` forward passes, as llama-batched-bench).
    private func measure(prompts: [[TokenID]]) async throws -> Figures {
        engine.dropCaches()
        let params = GenerationParameters(maxTokens: generateLength + 1, sampling: .greedy, ignoreEndOfGeneration: true)
        let streams = engine.generate(batch: prompts, parameters: params)
        let all = try await withThrowingTaskGroup(of: CallStats.self) { group in
            for stream in streams {
                group.addTask {
                    var stats = CallStats()
                    for try await event in stream { if case .finished(_, let s) = event { stats = s } }
                    return stats
                }
            }
            var result: [CallStats] = []
            for try await s in group { result.append(s) }
            return result
        }
        let b = Double(prompts.count)
        let start = all.map(\.startTime).min() ?? 0
        let firstDone = all.map(\.firstTokenTime).max() ?? 0
        let end = all.map(\.endTime).max() ?? 0
        let generated = Double(all.reduce(0) { $0 + max(0, $1.generatedTokens - 1) })
        let aggregate = end > firstDone ? generated / (end - firstDone) : 0
        let latencies = all.flatMap(\.interTokenLatencies)
        let meanLatency = latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count)
        let sorted = latencies.sorted()
        let fast = sorted.isEmpty ? 0 : sorted[sorted.count / 10]
        return Figures(promptTokensPerSecond: firstDone > start ? b * Double(promptLength) / (firstDone - start) : 0,
                       aggregateTokensPerSecond: aggregate, perSequenceTokensPerSecond: aggregate / b,
                       perSequenceLatencyMilliseconds: meanLatency * 1000, timeToFirstToken: firstDone - start,
                       fastStepMilliseconds: fast * 1000)
    }

    /// Field-wise medians.
    static func median(_ xs: [Figures]) -> Figures {
        func m(_ f: (Figures) -> Double) -> Double { BenchCommand.Summary(xs.map(f)).median }
        return Figures(promptTokensPerSecond: m(\.promptTokensPerSecond),
                       aggregateTokensPerSecond: m(\.aggregateTokensPerSecond),
                       perSequenceTokensPerSecond: m(\.perSequenceTokensPerSecond),
                       perSequenceLatencyMilliseconds: m(\.perSequenceLatencyMilliseconds),
                       timeToFirstToken: m(\.timeToFirstToken), fastStepMilliseconds: m(\.fastStepMilliseconds))
    }

    static func printTable(_ rows: [Row], promptLength: Int, generateLength: Int) {
        print("prompt \(promptLength), generate \(generateLength) per sequence; tg = aggregate generation tok/s over "
              + "all sequences (tokenworks min/median/max); ms/tok = one sequence's time per token")
        print("batch thr |  pp tok/s  ours   llama |  tg tok/s  ours (min/median/max)     llama   ratio "
              + "| ×batch1 ours llama | ms/tok ours llama | p10 step ms, tok/s")
        for r in rows {
            let l = r.llama
            func f(_ format: String, _ v: Double?) -> String {
                v.map { String(format: format, $0) } ?? String(repeating: " ", count: max(0, String(format: format, 0.0).count - 3)) + "n/a"
            }
            print(String(format: "%5d %3d | ", r.batch, r.threads) + f("%11.1f", r.ours.promptTokensPerSecond) + " "
                  + f("%7.1f", l?.promptTokensPerSecond) + " | "
                  + String(format: "%8.1f / %8.1f / %8.1f  ", r.oursAggregate.min, r.ours.aggregateTokensPerSecond,
                           r.oursAggregate.max)
                  + f("%8.1f", l?.aggregateTokensPerSecond) + "  " + f("%5.2f×", r.ratio) + " | "
                  + f("%9.2f×", r.scaling) + " " + f("%5.2f×", r.llamaScaling) + " | "
                  + f("%9.2f", r.ours.perSequenceLatencyMilliseconds) + " " + f("%6.2f", l?.perSequenceLatencyMilliseconds)
                  + " | " + f("%8.2f", r.ours.fastStepMilliseconds)
                  + f("%8.1f", r.ours.fastStepMilliseconds > 0 ? Double(r.batch) * 1000 / r.ours.fastStepMilliseconds : nil))
        }
    }
}

/// llama.cpp's `llama-batched-bench`, run once per batch size and repetition so its runs interleave with ours.
struct LlamaBatchedBenchPeer {
    let path: String

    /// An explicit path ('none' to skip), else beside an explicitly given llama-bench, else llama-bench's usual
    /// places, else on PATH.
    static func locate(explicit: String?, llamaBench: String? = nil) -> LlamaBatchedBenchPeer? {
        if explicit == "none" { return nil }
        let name = "llama-batched-bench"
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let llamaBench, llamaBench != "none" {
            candidates.append(URL(fileURLWithPath: llamaBench).deletingLastPathComponent().appendingPathComponent(name).path)
        }
        if let dir = ProcessInfo.processInfo.environment["LLAMA_DIR"] { candidates.append(dir + "/bin/" + name) }
        candidates.append(Paths.cache.appendingPathComponent("llama.cpp/bin/" + name).path)
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(dir + "/" + name)
        }
        if let bench = LlamaBenchPeer.locate(explicit: nil) {
            candidates.append(URL(fileURLWithPath: bench.path).deletingLastPathComponent().appendingPathComponent(name).path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(LlamaBatchedBenchPeer.init)
    }

    /// The figures of one llama-batched-bench run with `batch` parallel sequences, or nil if it failed.
    func run(model: String, prompt: Int, gen: Int, batch: Int, threads: Int) -> BatchBench.Figures? {
        let context = max(512, batch * (prompt + gen) + 64)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-m", model, "-c", String(context), "-b", "2048", "-ub", "512",
                             "-npp", String(prompt), "-ntg", String(gen), "-npl", String(batch),
                             "-t", String(threads), "-tb", String(threads), "--output-format", "jsonl"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n").reversed() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let tg = object["speed_tg"] as? Double, let pp = object["speed_pp"] as? Double,
                  let ttg = object["t_tg"] as? Double, let tpp = object["t_pp"] as? Double else { continue }
            return BatchBench.Figures(promptTokensPerSecond: pp, aggregateTokensPerSecond: tg,
                                      perSequenceTokensPerSecond: tg / Double(batch),
                                      perSequenceLatencyMilliseconds: ttg / Double(max(gen, 1)) * 1000,
                                      timeToFirstToken: tpp)
        }
        return nil
    }
}
