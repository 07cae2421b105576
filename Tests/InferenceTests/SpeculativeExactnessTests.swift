// Speculative decoding changes speed, never output: greedy output is token-for-token identical to plain
// decoding for every drafter, and sampling keeps the target's distribution (chi-square test).
import Foundation
import Inference
import TestSupport
import XCTest

final class SpeculativeExactnessTests: XCTestCase {
    static let prompts = [
        "What is the capital of France?",
        "Repeat exactly: The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog.",
        "Fix the bug in this code and print it again:\ndef add(a, b):\n    return a - b\nprint(add(2, 3))",
        "Here is JSON from a tool: {\"city\": \"Paris\", \"temperature\": 21, \"unit\": \"celsius\"}. What is the temperature in Paris?",
        "Write a list of the numbers from one to twenty in words.",
        "Summarise: Tokenworks is a terminal workbench where developers chat with language models and watch what every call costs.",
    ]

    private func chat(_ engine: InferenceEngine, _ user: String) throws -> [TokenID] {
        try engine.chatTokens(messages: [.user(user)])
    }

    private func engineWithDraft() throws -> InferenceEngine {
        let path = try TestResources.requireDefaultModel()
        // The model drafts for itself: the same vocabulary by construction, so the check passes and every draft is
        // what greedy decoding would produce — a strong test of the bookkeeping (acceptance must be 100%).
        return try InferenceEngine(path: path, options: EngineOptions(threads: 2, draftModelPath: path))
    }

    func testGreedyOutputIsIdenticalForEveryDrafter() async throws {
        let engine = try engineWithDraft()
        let forms: [SpeculationOptions] = [
            .lookup,
            SpeculationOptions(drafters: [.selfDraft(exitLayer: 15)], adaptive: false),
            SpeculationOptions(drafters: [.draftModel], maxDraft: 6, adaptive: false),
            SpeculationOptions(drafters: [.lookup, .draftModel], maxDraft: 8),
        ]
        for prompt in Self.prompts {
            let tokens = try chat(engine, prompt)
            let plain = try await engine.collect(tokens: tokens, parameters: .init(maxTokens: 48, sampling: .greedy))
            for spec in forms {
                engine.dropCaches()
                let r = try await engine.collect(tokens: tokens,
                                                 parameters: .init(maxTokens: 48, sampling: .greedy, speculation: spec))
                XCTAssertEqual(r.tokens, plain.tokens, "\(spec.drafters) on '\(prompt.prefix(30))'")
                XCTAssertEqual(r.text, plain.text)
                XCTAssertEqual(r.reason, plain.reason)
                if spec.drafters == [.draftModel] {
                    XCTAssertGreaterThan(r.stats.draftedTokens, 0)
                    XCTAssertEqual(r.stats.acceptedTokens, r.stats.draftedTokens, "a model drafting for itself")
                }
            }
        }
    }

    func testGreedyOutputIsIdenticalAtTheEndOfTheContextAndAtStopSequences() async throws {
        let path = try TestResources.requireDefaultModel()
        let engine = try InferenceEngine(path: path, options: EngineOptions(threads: 2, contextSize: 96, draftModelPath: path))
        let tokens = try chat(engine, Self.prompts[1])
        let spec = SpeculationOptions(drafters: [.lookup, .draftModel], maxDraft: 8, adaptive: false)
        let plain = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 500, sampling: .greedy, ignoreEndOfGeneration: true))
        XCTAssertEqual(plain.reason, .contextFull)
        engine.dropCaches()
        let fast = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 500, sampling: .greedy, ignoreEndOfGeneration: true, speculation: spec))
        XCTAssertEqual(fast.tokens, plain.tokens)
        XCTAssertEqual(fast.reason, .contextFull)

        let words = plain.text.split(separator: " ").map(String.init).filter { $0.count > 3 }
        let stop = try XCTUnwrap(words.dropFirst(2).first, plain.text)
        let p1 = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 60, sampling: .greedy, stopSequences: [stop]))
        engine.dropCaches()
        let p2 = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 60, sampling: .greedy, stopSequences: [stop], speculation: spec))
        XCTAssertEqual(p1.reason, .stopSequence(stop))
        XCTAssertEqual(p2.reason, p1.reason)
        XCTAssertEqual(p2.text, p1.text)
    }

    func testLookupDraftsAreAcceptedWhenTheAnswerEchoesThePrompt() async throws {
        let engine = try SharedEngine.defaultModel()
        let tokens = try chat(engine, Self.prompts[1])
        let r = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 48, sampling: .greedy, speculation: SpeculationOptions(drafters: [.lookup], adaptive: false)))
        XCTAssertGreaterThan(r.stats.draftedTokens, 0)
        XCTAssertGreaterThan(r.stats.acceptedTokens, 0)
        XCTAssertEqual(r.stats.acceptedTokens + r.stats.rejectedTokens, r.stats.draftedTokens)
        let events = r.events.compactMap { e -> (Int, Int)? in
            if case .speculation(let d, let a) = e { return (d, a) } else { return nil }
        }
        XCTAssertEqual(events.reduce(0) { $0 + $1.0 }, r.stats.draftedTokens)
        XCTAssertEqual(events.reduce(0) { $0 + $1.1 }, r.stats.acceptedTokens)
    }

    /// The committed edit-code workload: SmolLM2-135M answers it by copying the code block, which is where the
    /// adaptive lookup must draft long runs (slow start 3 → 7 → 15) and have nearly all of them accepted.
    func testLookupDraftsGrowToLongRunsWhileTheAnswerCopiesTheCode() async throws {
        let engine = try SharedEngine.defaultModel()
        let tokens = try chat(engine, Self.echoCode)
        let r = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 100, sampling: .greedy, speculation: .lookup))
        let drafts = r.events.compactMap { e -> Int? in
            if case .speculation(let d, _) = e { return d } else { return nil }
        }
        XCTAssertTrue(drafts.contains(15), "draft lengths \(drafts)")
        XCTAssertGreaterThan(r.stats.acceptanceRate, 0.85, "accepted \(r.stats.acceptedTokens) of \(r.stats.draftedTokens)")
        XCTAssertLessThan(drafts.count, 25, "100 tokens in few verification passes")
    }

    /// SmolLM2's first 15 layers guess the next token too badly for self-drafting to pay (each guess costs about
    /// 60% of a step and would need over 90% acceptance): the adaptive controller keeps it off. Off, it drafts only
    /// one-token probes — after the one or two drafts that measure its cost, the next after 64 steps, then 64
    /// steps after an accepted probe or 128 after a rejected one — and a probe never switches drafting runs back on.
    func testAdaptiveSelfDraftingStaysOffWhenItDoesNotPay() async throws {
        let engine = try SharedEngine.defaultModel()
        let tokens = try chat(engine, Self.prompts[4])
        let r = try await engine.collect(tokens: tokens, parameters: .init(
            maxTokens: 160, sampling: .greedy, ignoreEndOfGeneration: true,
            speculation: SpeculationOptions(drafters: [.selfDraft(exitLayer: nil)])))
        XCTAssertEqual(r.tokens.count, 160)
        var generated = 0
        var probes: [(drafted: Int, at: Int)] = []
        for e in r.events {
            if case .token = e { generated += 1 }
            if case .speculation(let d, _) = e { probes.append((d, generated)) }
        }
        let shown = probes.map { "\($0.drafted)@\($0.at)" }
        XCTAssertTrue(probes.allSatisfy { $0.drafted == 1 }, "one-token probes only: \(shown)")
        // Nothing is drafted before the first probe: a drafter that costs forward passes must pay at the structural
        // prices too (DraftController.draftLength), so no timing, however lucky, switches it on unprobed.
        XCTAssertTrue((1...2).contains(probes.count), "a probe after 64 steps and at most one more: \(shown)")
        XCTAssertTrue(probes.allSatisfy { $0.at >= 64 }, "nothing drafted before the first probe: \(shown)")
    }

    static let echoCode = """
        Here is a JavaScript function. Change `var` to `let` everywhere and show the full updated code.

        ```javascript
        function formatPrice(amount, currency) {
          var rounded = Math.round(amount * 100) / 100;
          var text = rounded.toFixed(2);
          if (currency === "EUR") {
            return text + " €";
          }
          return "$" + text;
        }

        function totalPrice(items) {
          var sum = 0;
          for (var i = 0; i < items.length; i++) {
            sum += items[i].price * items[i].quantity;
          }
          return formatPrice(sum, "EUR");
        }
        ```

        """

    func testDraftModelWithAnotherVocabularyIsRefusedWithAReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-vocab-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // llama.cpp's llama-bpe vocabulary has 128k tokens: not SmolLM2's.
        let models = try TestResources.conformanceModelsDirectory()
        let other = models.appendingPathComponent("ggml-vocab-llama-bpe.gguf").path
        XCTAssertThrowsError(try InferenceEngine(path: try TestResources.requireDefaultModel(),
                                                 options: EngineOptions(threads: 2, draftModelPath: other))) { error in
            XCTAssertTrue("\(error)".contains("the draft model cannot draft for this model"), "\(error)")
        }
    }

    /// Speculative sampling must leave the distribution of every token unchanged. The second generated token is
    /// the first one decided by verification; its empirical distribution with and without speculation must agree
    /// (chi-square over the most frequent outcomes plus "other", p > 0.001).
    func testSamplingDistributionIsUnchangedBySpeculation() async throws {
        let engine = try engineWithDraft()
        let tokens = try chat(engine, "Name a random animal.")
        let sampling = SamplingParameters(temperature: 1.3, topK: 0, topP: 1, minP: 0)
        let n = 600
        func histogram(_ spec: SpeculationOptions, seedBase: UInt64) async throws -> [TokenID: Int] {
            var h: [TokenID: Int] = [:]
            for i in 0..<n {
                var s = sampling
                s.seed = seedBase + UInt64(i)
                let r = try await engine.collect(tokens: tokens, parameters: .init(
                    maxTokens: 2, sampling: s, speculation: spec), cacheKey: "chi")
                if r.tokens.count == 2 { h[r.tokens[1], default: 0] += 1 }
            }
            return h
        }
        let plain = try await histogram(.none, seedBase: 1_000)
        let spec = try await histogram(SpeculationOptions(drafters: [.draftModel], maxDraft: 1, adaptive: false),
                                       seedBase: 900_000)
        // Categories: the tokens frequent enough for a chi-square cell, the rest pooled.
        let keys = Set(plain.keys).union(spec.keys)
        let frequent = keys.filter { (plain[$0, default: 0] + spec[$0, default: 0]) >= 20 }
        var cells: [(Int, Int)] = frequent.map { (plain[$0, default: 0], spec[$0, default: 0]) }
        let otherA = plain.filter { !frequent.contains($0.key) }.values.reduce(0, +)
        let otherB = spec.filter { !frequent.contains($0.key) }.values.reduce(0, +)
        if otherA + otherB > 0 { cells.append((otherA, otherB)) }
        XCTAssertGreaterThanOrEqual(cells.count, 3, "the test needs a spread distribution")
        let totalA = Double(cells.reduce(0) { $0 + $1.0 }), totalB = Double(cells.reduce(0) { $0 + $1.1 })
        var chi = 0.0
        for (a, b) in cells {
            let row = Double(a + b)
            let ea = row * totalA / (totalA + totalB), eb = row * totalB / (totalA + totalB)
            chi += (Double(a) - ea) * (Double(a) - ea) / ea + (Double(b) - eb) * (Double(b) - eb) / eb
        }
        let dof = Double(cells.count - 1)
        // Wilson–Hilferty approximation of the chi-square 99.9% quantile.
        let z = 3.09
        let critical = dof * pow(1 - 2 / (9 * dof) + z * (2 / (9 * dof)).squareRoot(), 3)
        XCTAssertLessThan(chi, critical, "chi² = \(chi) with \(Int(dof)) degrees of freedom")
    }
}
