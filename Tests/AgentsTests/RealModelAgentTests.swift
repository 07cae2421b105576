// The agent loop on the real default model (SmolLM2-135M-Instruct, greedy): reading a file, computing with the
// calculator, delegating to a sub-agent — and the ledger's token totals checked against the tokenizer.
import Agents
import Foundation
import Inference
import Ledger
import TestSupport
import XCTest

/// Wraps a local backend and keeps each request with the prompt token count the tokenizer gives for it.
struct CountingBackend: ModelBackend {
    let inner: LocalBackend
    let counts = Locked<[Int]>([])

    var modelName: String { inner.modelName }
    var isLocal: Bool { true }
    var supportsNativeTools: Bool { inner.supportsNativeTools }
    var supportsConstraints: Bool { inner.supportsConstraints }

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let count = (try? inner.promptTokens(for: request).count) ?? -1
        counts.mutate { $0.append(count) }
        return inner.stream(request)
    }
}

final class RealModelAgentTests: XCTestCase, @unchecked Sendable {
    private var repositoryPrompts: URL { TestResources.repositoryRoot.appendingPathComponent("prompts") }

    private func library() -> ProfileLibrary {
        ProfileLibrary(directories: [repositoryPrompts.appendingPathComponent("agents")],
                       promptDirectories: [repositoryPrompts, repositoryPrompts.appendingPathComponent("system")])
    }

    /// Runs `profile` on `task` in `dir` with the default model; returns the result, events, ledger and backend.
    private func runReal(_ profile: AgentProfile, _ task: String, in dir: TemporaryDirectory)
        async throws -> (AgentRunResult, EventRecorder, LedgerStore, CountingBackend)
    {
        let engine = try SharedEngine.defaultModel()
        let backend = CountingBackend(inner: LocalBackend(engine: engine))
        let ledger = try LedgerStore(path: dir.url.appendingPathComponent(".ledger.sqlite").path)
        let prices = try PriceSheet.load(from: TestResources.repositoryRoot.appendingPathComponent("pricing/prices.yaml"))
        let environment = AgentEnvironment(workspace: try dir.workspace(), profiles: library(),
                                           backends: { _ in backend }, ledger: ledger, prices: prices)
        let recorder = EventRecorder()
        let result = await AgentRunner(environment: environment).run(profile: profile, task: task, runID: "real-run",
                                                                     events: recorder.sink)
        return (result, recorder, ledger, backend)
    }

    /// The accounting every run must satisfy: ledger totals = sum of per-call counts = the run's usage, each
    /// call's prompt tokens = the tokenizer's count of its rendered conversation, generated = streamed tokens.
    private func assertAccounting(_ result: AgentRunResult, _ recorder: EventRecorder, _ ledger: LedgerStore,
                                  _ backend: CountingBackend, file: StaticString = #filePath, line: UInt = #line) async throws {
        let records = try await ledger.records(matching: LedgerFilter(runID: "real-run"))
        let sum = records.reduce(TokenCounts.zero) { $0 + $1.tokens }
        let total = try await ledger.total(matching: LedgerFilter(runID: "real-run"))
        let trees = try await ledger.tree(run: "real-run")
        XCTAssertEqual(total.tokens, sum, file: file, line: line)
        XCTAssertEqual(trees.count, 1, file: file, line: line)
        XCTAssertEqual(trees.first?.totals.tokens, sum, file: file, line: line)
        XCTAssertEqual(sum.prompt + sum.generated, result.usage.totalTokens, file: file, line: line)
        let models = records.filter { $0.kind == .model }.sorted { $0.startedAt < $1.startedAt }
        XCTAssertEqual(models.map(\.tokens.prompt), backend.counts.value, "prompt tokens vs tokenizer", file: file, line: line)
        var streamed: [String: Int] = [:]
        for event in recorder.events { if case .token(let id, _) = event { streamed[id, default: 0] += 1 } }
        for record in models {
            XCTAssertEqual(record.tokens.generated, streamed[record.id] ?? 0, file: file, line: line)
        }
    }

    func testReadsAFileAndAnswersFromIt() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("facts.txt", "The capital of Freedonia is Fredville.\n")
        var profile = try library().profile(named: "default")
        profile.tools = ["read_file"]
        let (result, recorder, ledger, backend) = try await runReal(
            profile, "What is the capital of Freedonia? The answer is in facts.txt.", in: dir)
        let tools = recorder.events.compactMap { event -> String? in
            if case .toolStarted(let info) = event { return info.tool } else { return nil }
        }
        XCTAssertEqual(tools.first, "read_file")
        XCTAssertTrue(result.answer?.contains("Fredville") == true, "\(String(describing: result.answer)) / \(result.stop)")
        try await assertAccounting(result, recorder, ledger, backend)
    }

    func testComputesWithTheCalculator() async throws {
        let dir = try TemporaryDirectory()
        var profile = try library().profile(named: "default")
        profile.tools = ["calculator"]
        let (result, recorder, ledger, backend) = try await runReal(profile, "What is 17 times 23? Use the calculator.", in: dir)
        let results = recorder.events.compactMap { event -> String? in
            if case .toolFinished(let record, let r) = event, record.tool == "calculator" { return r.output } else { return nil }
        }
        XCTAssertTrue(results.contains("391"), "\(results)")
        XCTAssertTrue(result.answer?.contains("391") == true, "\(String(describing: result.answer)) / \(result.stop)")
        try await assertAccounting(result, recorder, ledger, backend)
    }

    func testDelegatesASummaryToASubAgent() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("story.txt", "Tom lost his red kite in the park. He found it stuck in an old oak tree.\n")
        var profile = try library().profile(named: "default")
        profile.tools = ["ask_summarizer"]
        let (result, recorder, ledger, backend) = try await runReal(
            profile, "Ask the summarizer to summarize story.txt and tell me what it says.", in: dir)
        let agents = recorder.events.compactMap { event -> String? in
            if case .runStarted(let info) = event { return info.agent } else { return nil }
        }
        XCTAssertEqual(agents, ["default", "summarizer"])
        let trees = try await ledger.tree(run: "real-run")
        let rows = trees.first?.depthFirst().map { "\($0.depth):\($0.node.record.kind.rawValue)" } ?? []
        XCTAssertTrue(rows.starts(with: ["0:agent", "1:model", "2:tool", "3:agent", "4:model"]), "\(rows)")
        XCTAssertNotNil(result.answer, "\(result.stop)")
        try await assertAccounting(result, recorder, ledger, backend)
    }

    // MARK: Budgets on the real model

    private func loopingProfile(_ budget: Budget) throws -> AgentProfile {
        var profile = try library().profile(named: "default")
        profile.tools = ["calculator"]
        profile.systemPrompt = "You never answer. You always call the calculator again with 1 + 1."
        profile.budget = budget
        return profile
    }

    func testStepBudgetStopsTheRealModel() async throws {
        let dir = try TemporaryDirectory()
        let (result, _, ledger, backend) = try await runReal(try loopingProfile(Budget(maxSteps: 1)), "Add 1 and 1 forever.", in: dir)
        if result.answer == nil {
            XCTAssertEqual(result.stop, .budget(BudgetExhaustion(kind: .steps, used: 1, limit: 1)))
        }
        XCTAssertEqual(result.usage.steps, 1)
        XCTAssertEqual(backend.counts.value.count, 1)
        let records = try await ledger.records(matching: LedgerFilter(runID: "real-run", kinds: [.model]))
        XCTAssertEqual(records.count, 1)
    }

    func testTokenBudgetStopsTheRealModelMidCall() async throws {
        let dir = try TemporaryDirectory()
        let (result, _, _, backend) = try await runReal(try loopingProfile(Budget(maxTokens: 10)), "Add 1 and 1.", in: dir)
        guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
        XCTAssertEqual(exhaustion.kind, .tokens)
        XCTAssertEqual(result.usage.tokens.generated, 0, "the prompt alone exceeds 10 tokens")
        XCTAssertEqual(backend.counts.value.count, 1)
    }

    func testTimeBudgetStopsTheRealModel() async throws {
        let dir = try TemporaryDirectory()
        let start = Date()
        let (result, _, _, _) = try await runReal(try loopingProfile(Budget(maxSeconds: 0.01)), "Add 1 and 1.", in: dir)
        guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
        XCTAssertEqual(exhaustion.kind, .time)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testCostBudgetStopsTheRealModel() async throws {
        let dir = try TemporaryDirectory()
        // Any compute at all costs more than a nanodollar at the sheet's machine price.
        let (result, _, _, _) = try await runReal(try loopingProfile(Budget(maxCost: Cost(nanodollars: 1))),
                                                  "Add 1 and 1 forever.", in: dir)
        if result.answer == nil {
            guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
            XCTAssertEqual(exhaustion.kind, .cost)
        }
        XCTAssertEqual(result.usage.steps, 1)
        XCTAssertGreaterThan(result.usage.cost, .zero)
    }

    func testCancellationStopsTheRealModelPromptly() async throws {
        let dir = try TemporaryDirectory()
        let profile = try loopingProfile(.unlimited)
        let start = Date()
        let task = Task { try await self.runReal(profile, "Add 1 and 1 forever.", in: dir).0 }
        try await Task.sleep(nanoseconds: 500_000_000)
        task.cancel()
        let result = try await task.value
        XCTAssertEqual(result.stop, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }
}
