// `tokenworks bench`: prompt-processing (pp) and generation (tg) speed, min/median/max over repetitions, with
// llama.cpp's llama-bench run interleaved on the same file when it is available, and the ratios printed.
import ArgumentParser
import Foundation
import Inference

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prompt processing and generation speed, side by side with llama.cpp when available.",
        discussion: """
            pp N: prefill N prompt tokens from an empty cache; tg N: generate N tokens one at a time.
            With llama.cpp's llama-bench (run `bash bench/setup-llama.sh`, or pass --llama-bench PATH) each of our
            repetitions is followed by the same run of llama-bench on the same file, and ratios are printed.
            --batch 1,2,4,8: B sequences (prompt -p, default 128; generation -n, default 64) start together and decode
            in one batch; aggregate and per-sequence tokens/s and latency, beside llama.cpp's llama-batched-bench.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: [.customShort("p"), .customLong("prompt")], parsing: .upToNextOption, help: "Prompt lengths (pp tests).")
    var promptLengths: [Int] = []
    @Option(name: [.customShort("n"), .customLong("gen")], parsing: .upToNextOption, help: "Generation lengths (tg tests).")
    var genLengths: [Int] = []
    @Option(name: [.customShort("t"), .customLong("bench-threads")], parsing: .upToNextOption, help: "Thread counts.")
    var threadCounts: [Int] = []
    @Option(name: [.customShort("r"), .customLong("repetitions")], help: "Repetitions of each test.")
    var repetitions: Int = 5
    @Option(name: .customLong("llama-bench"), help: "Path of llama.cpp's llama-bench ('none' to skip; default: auto).")
    var llamaBench: String?
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
    @Option(name: .customLong("spec"), parsing: .upToNextOption,
            help: "Benchmark speculative forms (e.g. lookup self draft lookup+draft) against plain decoding on the committed workloads instead of pp/tg.")
    var specForms: [String] = []
    @Option(name: .customLong("workloads"), help: "Workload file for --spec.")
    var workloadsPath: String = "bench/spec-workloads.json"
    @Option(name: .customLong("spec-tokens"), help: "Tokens generated per --spec run.")
    var specTokens: Int = 128
    @Option(name: .customLong("batch"), help: "Batch sizes for the continuous-batching benchmark, e.g. 1,2,4,8.")
    var batchSizes: String?
    @Option(name: .customLong("llama-batched-bench"),
            help: "Path of llama.cpp's llama-batched-bench for --batch ('none' to skip; default: auto).")
    var llamaBatchedBench: String?
    @Option(name: .customLong("spec-cost"),
            help: "Print the cost of one verification pass of 1…16 rows after this many cached positions instead of pp/tg.")
    var specCostContext: Int?

    struct Result: Encodable {
        var test: String
        var threads: Int
        var ours: Summary
        var llama: Summary?
        var ratio: Double?
    }

    struct Summary: Encodable {
        var min: Double, median: Double, max: Double
        init(_ xs: [Double]) {
            let s = xs.sorted()
            min = s.first ?? 0
            max = s.last ?? 0
            median = s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
        }
    }

    func run() async throws {
        guard repetitions > 0 else { throw CLIError.message("--repetitions must be at least 1") }
        if let context = specCostContext {
            try await SpecBench.printPassCost(try modelOptions.loadEngine(), context: context, repetitions: repetitions)
            return
        }
        if !specForms.isEmpty {
            let workloads = try SpecBench.workloads(at: workloadsPath)
            let engine = try modelOptions.loadEngine()
            let rows = try await SpecBench(engine: engine, forms: specForms, repetitions: repetitions,
                                           maxTokens: specTokens).run(workloads)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            } else {
                print("model: \(modelOptions.modelPath), \(specTokens) tokens per run, \(repetitions) repetitions")
                SpecBench.printTable(rows)
            }
            return
        }
        let threads = threadCounts.isEmpty ? [modelOptions.threads ?? EngineOptions.physicalCores] : threadCounts
        if let batchSizes {
            try await runBatch(batchSizes, threads: threads)
            return
        }
        let promptLengths = self.promptLengths.isEmpty ? [512] : self.promptLengths
        let genLengths = self.genLengths.isEmpty ? [128] : self.genLengths
        let peer = LlamaBenchPeer.locate(explicit: llamaBench)
        if peer == nil && !json {
            print("(llama-bench not found: run `bash bench/setup-llama.sh` for side-by-side ratios)")
        }
        var results: [Result] = []
        for t in threads {
            var options = modelOptions.engineOptions()
            options.threads = t
            options.retainedSequences = 0
            let engine = try InferenceEngine(path: modelOptions.modelPath, options: options)
            let vocab = engine.config.vocabularySize
            var rng = RandomSource(seed: 42)
            // Warm-up: touch every weight page once.
            _ = try await Self.measure(engine, tokens: [1, 2, 3, 4], generate: 2)
            for p in promptLengths {
                let tokens = (0..<p).map { _ in TokenID(Int(rng.next() % UInt64(vocab))) }
                var ours: [Double] = [], theirs: [Double] = []
                for _ in 0..<repetitions {
                    let s = try await Self.measure(engine, tokens: tokens, generate: 1)
                    ours.append(Double(p) / max(s.timeToFirstToken, 1e-9))
                    if let peer, let v = peer.run(model: modelOptions.modelPath, prompt: p, gen: 0, threads: t) {
                        theirs.append(v)
                    }
                }
                results.append(Self.result("pp\(p)", t, ours, theirs))
            }
            for n in genLengths {
                var ours: [Double] = [], theirs: [Double] = []
                for _ in 0..<repetitions {
                    let s = try await Self.measure(engine, tokens: [1], generate: n + 1)
                    ours.append(s.tokensPerSecond)
                    if let peer, let v = peer.run(model: modelOptions.modelPath, prompt: 0, gen: n, threads: t) {
                        theirs.append(v)
                    }
                }
                results.append(Self.result("tg\(n)", t, ours, theirs))
            }
            engine.shutdown()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        print("model: \(modelOptions.modelPath)")
        print("test      threads   tokenworks tok/s (min/median/max)     llama.cpp tok/s (min/median/max)    ratio")
        for r in results {
            let ours = String(format: "%8.1f / %8.1f / %8.1f", r.ours.min, r.ours.median, r.ours.max)
            let theirs = r.llama.map { String(format: "%8.1f / %8.1f / %8.1f", $0.min, $0.median, $0.max) }
                ?? "                 n/a              "
            let ratio = r.ratio.map { String(format: "%5.2f×", $0) } ?? "  n/a"
            print("\(r.test.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(r.threads).leftPad(7))   \(ours)     \(theirs)   \(ratio)")
        }
    }

    /// `--batch`: the continuous-batching benchmark for each thread count.
    private func runBatch(_ list: String, threads: [Int]) async throws {
        let sizes = list.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 64 }) else {
            throw CLIError.message("--batch expects batch sizes between 1 and 64 separated by commas, e.g. 1,2,4,8")
        }
        let prompt = promptLengths.first ?? 128
        let gen = genLengths.first ?? 64
        let peer = LlamaBatchedBenchPeer.locate(explicit: llamaBatchedBench, llamaBench: llamaBench)
        if peer == nil && !json && llamaBatchedBench != "none" {
            print("(llama-batched-bench not found: run `bash bench/setup-llama.sh` for side-by-side figures)")
        }
        var rows: [BatchBench.Row] = []
        for t in threads {
            var options = modelOptions.engineOptions()
            options.threads = t
            options.retainedSequences = 0
            options.maxSequences = max(options.maxSequences, sizes.max() ?? 1)
            if options.contextSize > 0 { options.contextSize = max(options.contextSize, prompt + gen + 16) }
            let engine = try InferenceEngine(path: modelOptions.modelPath, options: options)
            rows += try await BatchBench(engine: engine, modelPath: modelOptions.modelPath, threads: t,
                                         promptLength: prompt, generateLength: gen, repetitions: repetitions,
                                         peer: peer).run(sizes)
            engine.shutdown()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print("model: \(modelOptions.modelPath)" + (peer.map { ", llama.cpp: \($0.path)" } ?? ""))
        BatchBench.printTable(rows, promptLength: prompt, generateLength: gen)
    }

    static func result(_ test: String, _ threads: Int, _ ours: [Double], _ theirs: [Double]) -> Result {
        let o = Summary(ours)
        let l = theirs.isEmpty ? nil : Summary(theirs)
        return Result(test: test, threads: threads, ours: o, llama: l,
                      ratio: l.flatMap { $0.median > 0 ? o.median / $0.median : nil })
    }

    /// One generation from an empty cache, returning its stats.
    static func measure(_ engine: InferenceEngine, tokens: [TokenID], generate: Int) async throws -> CallStats {
        engine.dropCaches()
        let params = GenerationParameters(maxTokens: generate, sampling: .greedy, ignoreEndOfGeneration: true)
        var stats = CallStats()
        for try await event in engine.generate(tokens: tokens, parameters: params) {
            if case .finished(_, let s) = event { stats = s }
        }
        return stats
    }
}

/// llama.cpp's llama-bench, run as a subprocess for one test at a time so runs interleave with ours.
struct LlamaBenchPeer {
    let path: String

    static func locate(explicit: String?) -> LlamaBenchPeer? {
        if explicit == "none" { return nil }
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let dir = ProcessInfo.processInfo.environment["LLAMA_DIR"] { candidates.append(dir + "/bin/llama-bench") }
        candidates.append(Paths.cache.appendingPathComponent("llama.cpp/bin/llama-bench").path)
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(dir + "/llama-bench")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(LlamaBenchPeer.init)
    }

    /// Tokens/s of one llama-bench repetition, or nil if it failed.
    func run(model: String, prompt: Int, gen: Int, threads: Int) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-m", model, "-p", String(prompt), "-n", String(gen), "-t", String(threads),
                             "-r", "1", "-o", "json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return nil }
        return array.compactMap { $0["avg_ts"] as? Double }.first
    }
}
