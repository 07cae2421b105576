// Behaviour of the streaming generation API on the real default model: cache reuse, stops, limits,
// cancellation, reproducible sampling and the event stream's accounting.
import Inference
import TestSupport
import XCTest

final class GenerationTests: XCTestCase {
    private func prompt(_ user: String) throws -> [TokenID] {
        let engine = try SharedEngine.defaultModel()
        return engine.tokenizer.encode(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                + "<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n",
            addSpecial: true, parseSpecial: true)
    }

    func testSecondTurnReusesTheCachedPrefixAndGivesTheSameTokens() async throws {
        let engine = try SharedEngine.defaultModel()
        let first = try prompt("Name a colour.")
        let key = "reuse-\(UUID())"
        let a = try await engine.collect(tokens: first, parameters: .init(maxTokens: 8, sampling: .greedy), cacheKey: key)
        XCTAssertEqual(a.stats.promptTokens, first.count)
        // The next turn extends the conversation: everything up to the first answer is already cached.
        let second = first + a.tokens.filter { !engine.tokenizer.isEndOfGeneration($0) }
            + engine.tokenizer.encode("<|im_end|>\n<|im_start|>user\nAnother one.<|im_end|>\n<|im_start|>assistant\n",
                                      addSpecial: false, parseSpecial: true)
        let b = try await engine.collect(tokens: second, parameters: .init(maxTokens: 8, sampling: .greedy), cacheKey: key)
        XCTAssertGreaterThanOrEqual(b.stats.cachedTokens, first.count, "the first turn's prompt is reused")
        XCTAssertEqual(b.stats.promptTokens, second.count)
        // And the cached run is exact: the same tokens as computing the whole prompt from scratch.
        engine.dropCaches()
        let cold = try await engine.collect(tokens: second, parameters: .init(maxTokens: 8, sampling: .greedy))
        XCTAssertEqual(cold.stats.cachedTokens, 0)
        XCTAssertEqual(cold.tokens, b.tokens)
    }

    func testMaxTokensStopsGeneration() async throws {
        let engine = try SharedEngine.defaultModel()
        let r = try await engine.collect(tokens: try prompt("Count from one to fifty."),
                                         parameters: .init(maxTokens: 5, sampling: .greedy))
        XCTAssertEqual(r.reason, .maxTokens)
        XCTAssertEqual(r.tokens.count, 5)
        XCTAssertEqual(r.stats.generatedTokens, 5)
    }

    func testStopSequenceEndsGenerationAndIsNotEmitted() async throws {
        let engine = try SharedEngine.defaultModel()
        let full = try await engine.collect(tokens: try prompt("What is the capital of France?"),
                                            parameters: .init(maxTokens: 24, sampling: .greedy))
        // Stop at a word the greedy answer contains.
        let words = full.text.split(separator: " ").map(String.init).filter { $0.count >= 3 }
        let stopWord = try XCTUnwrap(words.dropFirst().first, "answer: \(full.text)")
        let r = try await engine.collect(tokens: try prompt("What is the capital of France?"),
                                         parameters: .init(maxTokens: 24, sampling: .greedy, stopSequences: [stopWord]))
        XCTAssertEqual(r.reason, .stopSequence(stopWord))
        XCTAssertFalse(r.text.contains(stopWord), "\(r.text)")
        XCTAssertTrue(full.text.hasPrefix(r.text), "'\(r.text)' is a prefix of '\(full.text)'")
    }

    func testPromptLongerThanTheContextIsAClearError() async throws {
        let engine = try InferenceEngine(path: try TestResources.requireDefaultModel(),
                                         options: EngineOptions(threads: 2, contextSize: 64))
        let tokens = [TokenID](repeating: 28, count: 100)
        do {
            _ = try await engine.collect(tokens: tokens, parameters: .init(maxTokens: 4, sampling: .greedy))
            XCTFail("expected an error")
        } catch let e as InferenceError {
            XCTAssertEqual(e.description, "the prompt is 100 tokens but the context holds 64: shorten the "
                           + "conversation (/clear) or raise --context")
        }
    }

    func testGenerationStopsWhenTheContextIsFull() async throws {
        let engine = try InferenceEngine(path: try TestResources.requireDefaultModel(),
                                         options: EngineOptions(threads: 2, contextSize: 48))
        let p = try prompt("Tell me a long story.")
        let r = try await engine.collect(tokens: p, parameters: .init(maxTokens: 500, sampling: .greedy,
                                                                       ignoreEndOfGeneration: true))
        XCTAssertEqual(r.reason, .contextFull)
        XCTAssertEqual(p.count + r.tokens.count, 48 + 1, "fills the context exactly (the last token is not fed)")
    }

    func testSameSeedRepeatsASampledAnswerAndAnotherSeedDiffers() async throws {
        let engine = try SharedEngine.defaultModel()
        let p = try prompt("Write a short poem about cats.")
        func run(_ seed: UInt64) async throws -> [TokenID] {
            try await engine.collect(tokens: p, parameters: .init(
                maxTokens: 24, sampling: SamplingParameters(temperature: 1.0, topK: 0, topP: 1, minP: 0, seed: seed))).tokens
        }
        let a = try await run(7), b = try await run(7), c = try await run(8)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testCancellingTheConsumerStopsWithinATokenAndReportsCancelled() async throws {
        let engine = try SharedEngine.defaultModel()
        let p = try prompt("Count to one thousand.")
        let stream = engine.generate(tokens: p, parameters: .init(maxTokens: 2000, sampling: .greedy,
                                                                   ignoreEndOfGeneration: true))
        var seen = 0
        for try await event in stream {
            if case .token = event { seen += 1 }
            if seen == 3 { break }
        }
        // The engine is free again promptly: a new request completes.
        let r = try await engine.collect(tokens: p, parameters: .init(maxTokens: 2, sampling: .greedy))
        XCTAssertEqual(r.tokens.count, 2)
    }

    func testEventsReportCountsAndTimesConsistently() async throws {
        let engine = try SharedEngine.defaultModel()
        engine.dropCaches()
        let p = try prompt("Say hello.")
        let r = try await engine.collect(tokens: p, parameters: .init(maxTokens: 10, sampling: .greedy,
                                                                       ignoreEndOfGeneration: true))
        guard case .prefilled(let promptTokens, let cached, _) = r.events.first else {
            return XCTFail("first event is prefilled: \(r.events.first.map { "\($0)" } ?? "none")")
        }
        XCTAssertEqual(promptTokens, p.count)
        XCTAssertEqual(cached, 0)
        XCTAssertEqual(r.stats.generatedTokens, 10)
        XCTAssertEqual(r.stats.interTokenLatencies.count, 9)
        XCTAssertGreaterThan(r.stats.timeToFirstToken, 0)
        XCTAssertGreaterThan(r.stats.tokensPerSecond, 0)
        XCTAssertGreaterThan(r.stats.computeSeconds, 0)
        XCTAssertLessThanOrEqual(r.stats.interTokenLatency(quantile: 0.5), r.stats.interTokenLatency(quantile: 0.95))
        guard case .finished = r.events.last else { return XCTFail("last event is finished") }
    }
}
