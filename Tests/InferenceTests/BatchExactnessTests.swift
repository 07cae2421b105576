// Continuous batching changes speed, never output: on the real default model, the greedy tokens of every sequence
// of a batch equal those of the same request run alone — whatever shares its passes, whenever it joins, however
// its prompt is chunked, and whether its prefix was computed by itself or shared with another sequence.
import Foundation
import Inference
import TestSupport
import XCTest

final class BatchExactnessTests: XCTestCase {
    /// Questions of different lengths, so prompts, answers and stops all differ.
    static let questions = [
        "What is the capital of France?",
        "Name three colours.",
        "Write a list of the numbers from one to twenty in words.",
        "Fix the bug in this code and print it again:\ndef add(a, b):\n    return a - b\nprint(add(2, 3))",
        "Summarise: Tokenworks is a terminal workbench where developers chat with language models and watch what "
            + "every call costs, from the first token to the last.",
        "Why is the sky blue?",
        "Translate to French: good morning, my friend.",
        "Here is JSON from a tool: {\"city\": \"Paris\", \"temperature\": 21}. What is the temperature in Paris?",
    ]

    /// A system prompt of well over two cache blocks, shared by sub-agents started together.
    static let sharedSystem = """
        You are a careful summarising assistant inside a developer tool. You read the text the user gives you and \
        reply with a short summary of at most two sentences. Do not add facts that are not in the text. Do not \
        greet the user and do not explain what you are doing. If the text is empty, say that there is nothing to \
        summarise. Keep names, numbers and units exactly as they are written.
        """

    private func prompt(_ engine: InferenceEngine, _ question: String, system: String? = nil) throws -> [TokenID] {
        try engine.chatTokens(messages: (system.map { [ChatMessage.system($0)] } ?? []) + [.user(question)])
    }

    /// Each request alone, from a cold cache.
    private func alone(_ engine: InferenceEngine, _ prompts: [[TokenID]], maxTokens: [Int]) async throws
        -> [GenerationResult]
    {
        var results: [GenerationResult] = []
        for (p, n) in zip(prompts, maxTokens) {
            engine.dropCaches()
            results.append(try await engine.collect(tokens: p, parameters: .init(maxTokens: n, sampling: .greedy)))
        }
        return results
    }

    /// The requests submitted concurrently (each joins whenever the model thread picks it up).
    private func together(_ engine: InferenceEngine, _ prompts: [[TokenID]], maxTokens: [Int],
                          speculation: [SpeculationOptions]? = nil) async throws -> [GenerationResult] {
        engine.dropCaches()
        return try await withThrowingTaskGroup(of: (Int, GenerationResult).self) { group in
            for i in prompts.indices {
                let spec = speculation?[i] ?? .none
                group.addTask {
                    (i, try await engine.collect(tokens: prompts[i], parameters: .init(
                        maxTokens: maxTokens[i], sampling: .greedy, speculation: spec)))
                }
            }
            var results: [Int: GenerationResult] = [:]
            for try await (i, r) in group { results[i] = r }
            return prompts.indices.compactMap { results[$0] }
        }
    }

    func testGreedyOutputOfEightConcurrentSequencesEqualsRunningEachAlone() async throws {
        let engine = try SharedEngine.defaultModel()
        let prompts = try Self.questions.map { try prompt(engine, $0) }
        let lengths = [20, 12, 28, 16, 24, 8, 18, 14]
        let solo = try await alone(engine, prompts, maxTokens: lengths)
        let batched = try await together(engine, prompts, maxTokens: lengths)
        for i in prompts.indices {
            XCTAssertEqual(batched[i].tokens, solo[i].tokens, "sequence \(i): '\(Self.questions[i].prefix(30))'")
            XCTAssertEqual(batched[i].reason, solo[i].reason)
        }
        XCTAssertGreaterThan(batched.map(\.stats.meanBatchSize).max() ?? 0, 1.5, "the sequences shared passes")
    }

    func testGreedyOutputOfBatchesOfTwoToEightStartedTogetherEqualsRunningEachAlone() async throws {
        let engine = try SharedEngine.defaultModel()
        let prompts = try Self.questions.map { try prompt(engine, $0) }
        let solo = try await alone(engine, prompts, maxTokens: Array(repeating: 16, count: prompts.count))
        for size in [2, 5, 8] {
            engine.dropCaches()
            let streams = engine.generate(batch: Array(prompts.prefix(size)), parameters: .init(maxTokens: 16,
                                                                                                  sampling: .greedy))
            for (i, stream) in streams.enumerated() {
                var tokens: [TokenID] = []
                var batch = 0.0
                for try await event in stream {
                    if case .token(let t, _, _) = event { tokens.append(t) }
                    if case .finished(_, let stats) = event { batch = stats.meanBatchSize }
                }
                XCTAssertEqual(tokens, solo[i].tokens, "batch of \(size), sequence \(i)")
                if i == 0 { XCTAssertGreaterThan(batch, 1, "batch of \(size) shared its passes") }
            }
        }
    }

    func testJoiningSequenceIsPrefilledInChunksWhileTheRunningOneKeepsStreaming() async throws {
        let engine = try InferenceEngine(path: try TestResources.requireDefaultModel(),
                                         options: EngineOptions(threads: 2, prefillChunk: 16))
        defer { engine.shutdown() }
        let runner = try prompt(engine, "Count from one to one hundred.")
        let joiner = try prompt(engine, Self.questions[4] + " " + Self.questions[3] + " " + Self.questions[2])
        XCTAssertGreaterThan(joiner.count, 100, "the joiner needs several chunks")
        let soloJoiner = try await alone(engine, [joiner], maxTokens: [12])[0]
        let soloRunner = try await alone(engine, [runner], maxTokens: [40])[0]

        engine.dropCaches()
        let running = engine.generate(tokens: runner, parameters: .init(maxTokens: 40, sampling: .greedy))
        var runnerTokens: [TokenID] = []
        var runnerTimes: [Double] = []
        var iterator = running.makeAsyncIterator()
        // Let the runner decode a few tokens before the joiner arrives.
        while runnerTokens.count < 3, let event = try await iterator.next() {
            if case .token(let t, _, let time) = event { runnerTokens.append(t); runnerTimes.append(time) }
        }
        let joining = Task { try await engine.collect(tokens: joiner, parameters: .init(maxTokens: 12, sampling: .greedy)) }
        while let event = try await iterator.next() {
            if case .token(let t, _, let time) = event { runnerTokens.append(t); runnerTimes.append(time) }
        }
        let joined = try await joining.value
        XCTAssertEqual(runnerTokens, soloRunner.tokens)
        XCTAssertEqual(joined.tokens, soloJoiner.tokens)
        guard case .prefilled(_, _, let prefilledAt)? = joined.events.first else {
            return XCTFail("the first event is .prefilled")
        }
        let submittedAt = joined.stats.startTime
        let streamedMeanwhile = runnerTimes.filter { $0 > submittedAt && $0 < prefilledAt }.count
        XCTAssertGreaterThanOrEqual(streamedMeanwhile, joiner.count / 16 - 2,
                                    "the runner got a token with every 16-token chunk of the joiner's prompt")
    }

    func testSubAgentsStartedTogetherShareTheirSystemPromptAndCountItAsCached() async throws {
        let engine = try SharedEngine.defaultModel()
        let prompts = try Self.questions.prefix(4).map { try prompt(engine, $0, system: Self.sharedSystem) }
        let common = commonPrefixLength(prompts)
        XCTAssertGreaterThan(common, 64)
        let solo = try await alone(engine, prompts, maxTokens: Array(repeating: 16, count: 4))
        XCTAssertEqual(solo.map(\.stats.cachedTokens), [0, 0, 0, 0])

        engine.dropCaches()
        let streams = engine.generate(batch: prompts, parameters: .init(maxTokens: 16, sampling: .greedy))
        var cached: [Int] = []
        for (i, stream) in streams.enumerated() {
            var tokens: [TokenID] = []
            var prefilledCached = -1
            for try await event in stream {
                if case .prefilled(_, let c, _) = event { prefilledCached = c }
                if case .token(let t, _, _) = event { tokens.append(t) }
                if case .finished(_, let stats) = event {
                    cached.append(stats.cachedTokens)
                    XCTAssertEqual(stats.cachedTokens, prefilledCached, "the event and the stats agree")
                }
            }
            XCTAssertEqual(tokens, solo[i].tokens, "sequence \(i) with a shared prefix")
        }
        XCTAssertEqual(cached[0], 0, "the first sequence computes the shared prefix")
        for c in cached.dropFirst() {
            XCTAssertGreaterThanOrEqual(c, common - 32, "the others reuse it (up to a partial block)")
            XCTAssertLessThanOrEqual(c, common)
        }
    }

    func testSpeculatingSequencesInABatchGiveThePlainGreedyOutput() async throws {
        let engine = try SharedEngine.defaultModel()
        let prompts = try [Self.questions[2], Self.questions[3], Self.questions[7]].map { try prompt(engine, $0) }
        let lengths = [32, 32, 24]
        let solo = try await alone(engine, prompts, maxTokens: lengths)
        let specs: [SpeculationOptions] = [.lookup, SpeculationOptions(drafters: [.selfDraft(exitLayer: 15)]),
                                           SpeculationOptions(drafters: [.lookup, .selfDraft(exitLayer: 10)])]
        let batched = try await together(engine, prompts, maxTokens: lengths, speculation: specs)
        for i in prompts.indices { XCTAssertEqual(batched[i].tokens, solo[i].tokens, "sequence \(i), \(specs[i].drafters)") }
    }

    /// Length of the prefix all `prompts` share.
    private func commonPrefixLength(_ prompts: [[TokenID]]) -> Int {
        guard let first = prompts.first else { return 0 }
        var n = first.count
        for p in prompts.dropFirst() {
            var i = 0
            while i < min(n, p.count) && p[i] == first[i] { i += 1 }
            n = i
        }
        return n
    }
}
