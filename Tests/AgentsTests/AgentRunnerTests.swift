// The agent loop with a scripted model: answers, tool calls, errors reported to the model, sub-agents,
// budgets of every kind, cancellation, and the ledger records it writes.
import Agents
import Foundation
import Ledger
import XCTest

final class AgentRunnerTests: XCTestCase {
    private let loopForever = #"{"tool": "calculator", "arguments": {"expression": "1 + 1"}}"#

    func testDirectAnswerEndsTheRun() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [#"{"answer": "42"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(), task: "What is six times seven?", events: recorder.sink)
        XCTAssertEqual(result.answer, "42")
        XCTAssertEqual(result.stop, .answered)
        XCTAssertEqual(result.usage.steps, 1)
        XCTAssertEqual(recorder.names.filter { $0 != "token" }, ["run:main", "model", "model-done", "done:main"])
    }

    func testReadsAFileAndAnswersFromIt() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("facts.txt", "The capital of Freedonia is Fredville.")
        let backend = ScriptedBackend(replies: [#"{"tool": "read_file", "arguments": {"path": "facts.txt"}}"#,
                                                #"{"answer": "Fredville"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(), task: "What is the capital of Freedonia?",
                                      events: recorder.sink)
        XCTAssertEqual(result.answer, "Fredville")
        let requests = await backend.log.requests
        XCTAssertEqual(requests.count, 2)
        XCTAssertEqual(requests[1].messages.last, AgentMessage(.user, "Result of read_file:\nThe capital of Freedonia is Fredville."))
        XCTAssertEqual(requests[1].messages[2].role, .assistant)
        XCTAssertEqual(requests[0].cacheKey, requests[1].cacheKey)
        XCTAssertEqual(recorder.names.filter { $0 != "token" },
                       ["run:main", "model", "model-done", "tool:read_file", "tool-done", "model", "model-done", "done:main"])
    }

    func testTokenEventsMatchTheGeneratedCount() async throws {
        let dir = try TemporaryDirectory()
        let reply = #"{"answer": "twelve characters long"}"#
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": ScriptedBackend(replies: [reply])]))
        let recorder = EventRecorder()
        _ = await runner.run(profile: testProfile(), task: "x", events: recorder.sink)
        let tokens = recorder.events.compactMap { event -> String? in
            if case .token(_, let text) = event { return text }
            return nil
        }
        // Without a grammar the reply is started with `{"` for the model; the rest is generated.
        XCTAssertEqual(tokens.joined(), String(reply.dropFirst(2)))
        guard case .modelCallFinished(let record, _)? = recorder.events.first(where: {
            if case .modelCallFinished = $0 { return true } else { return false }
        }) else { return XCTFail("no model call") }
        XCTAssertEqual(record.tokens.generated, tokens.count)
    }

    func testToolFirstStartsTheFirstReplyAsAToolCall() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.txt", "alpha")
        let backend = ScriptedBackend(replies: [#"{"tool": "read_file", "arguments": {"path": "a.txt"}}"#,
                                                #"{"answer": "alpha"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        var profile = testProfile()
        profile.toolFirst = true
        let result = await runner.run(profile: profile, task: "x")
        XCTAssertEqual(result.answer, "alpha")
        let requests = await backend.log.requests
        XCTAssertEqual(requests.map(\.responsePrefix), [#"{"tool": ""#, #"{""#])
        XCTAssertEqual(requests[1].messages[2], AgentMessage(.assistant, #"{"tool": "read_file", "arguments": {"path": "a.txt"}}"#))
    }

    func testMalformedCallGoesBackToTheModel() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [#"{"tool" "calculator"}"#, #"{"answer": "sorry"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let result = await runner.run(profile: testProfile(), task: "x")
        XCTAssertEqual(result.answer, "sorry")
        let requests = await backend.log.requests
        XCTAssertEqual(requests[1].messages.last?.content,
                       #"your reply is not a valid tool call (expected ':' after key "tool" at byte 8): {"tool" "calculator"}; "#
                       + #"reply with one JSON object, either {"tool": NAME, "arguments": {...}} or {"answer": TEXT}"#)
    }

    func testUnknownToolIsReportedToTheModel() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [#"{"tool": "teleport", "arguments": {}}"#, #"{"answer": "ok"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let recorder = EventRecorder()
        _ = await runner.run(profile: testProfile(), task: "x", events: recorder.sink)
        let requests = await backend.log.requests
        XCTAssertEqual(requests[1].messages.last?.content,
                       "Result of teleport:\nthere is no tool named 'teleport'; available tools: read_file, calculator")
    }

    func testFailingToolIsReportedAndTheLoopContinues() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [#"{"tool": "flaky", "arguments": {}}"#, #"{"answer": "gave up"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend],
                                                                      customTools: [FailingTool()]))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(tools: ["flaky"]), task: "x", events: recorder.sink)
        XCTAssertEqual(result.answer, "gave up")
        let requests = await backend.log.requests
        XCTAssertEqual(requests[1].messages.last?.content, "Result of flaky:\ncannot spin up 'disk': the disk is on fire")
        let toolRecords = recorder.events.compactMap { event -> CallRecord? in
            if case .toolFinished(let r, _) = event { return r }
            return nil
        }
        XCTAssertEqual(toolRecords.map(\.outcome), [.error])
        XCTAssertEqual(toolRecords.first?.errorText, "cannot spin up 'disk': the disk is on fire")
    }

    func testPathEscapeIsRefusedAndReported() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [#"{"tool": "read_file", "arguments": {"path": "../../etc/passwd"}}"#,
                                                #"{"tool": "read_file", "arguments": {"path": "/etc/passwd"}}"#,
                                                #"{"answer": "cannot"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let result = await runner.run(profile: testProfile(), task: "x")
        XCTAssertEqual(result.answer, "cannot")
        let requests = await backend.log.requests
        XCTAssertEqual(requests[1].messages.last?.content, "Result of read_file:\npath '../../etc/passwd' refused: "
                       + "'..' is not allowed; use a relative path inside the workspace")
        XCTAssertEqual(requests[2].messages.last?.content, "Result of read_file:\npath '/etc/passwd' refused: "
                       + "absolute paths are not allowed; use a relative path inside the workspace")
    }

    func testLongToolResultsAreCutForTheModel() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("big.txt", String(repeating: "z", count: 5000))
        let backend = ScriptedBackend(replies: [#"{"tool": "read_file", "arguments": {"path": "big.txt"}}"#, #"{"answer": "big"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        var profile = testProfile()
        profile.resultLimit = 100
        _ = await runner.run(profile: profile, task: "x")
        let requests = await backend.log.requests
        XCTAssertEqual(requests[1].messages.last?.content,
                       "Result of read_file:\n" + String(repeating: "z", count: 100) + "\n[… truncated: 4900 more bytes not shown]")
    }

    // MARK: Budgets stop a model that loops forever

    func testStepBudgetStopsALoopingModel() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [loopForever], repeatLast: true)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(budget: Budget(maxSteps: 5)), task: "x", events: recorder.sink)
        XCTAssertEqual(result.stop, .budget(BudgetExhaustion(kind: .steps, used: 5, limit: 5)))
        XCTAssertNil(result.answer)
        XCTAssertEqual(result.usage.steps, 5)
        XCTAssertTrue(recorder.names.contains("warn:steps"))
        XCTAssertEqual(recorder.names.suffix(2), ["budget:steps", "done:main"])
        XCTAssertEqual(result.record.outcome, .budget)
        XCTAssertEqual(result.record.errorText, "step budget spent: 5 of 5 model calls")
    }

    func testTokenBudgetStopsALoopingModelMidCall() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [loopForever], repeatLast: true)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(budget: Budget(maxTokens: 400)), task: "x", events: recorder.sink)
        guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
        XCTAssertEqual(exhaustion.kind, .tokens)
        // Stopped the moment the count reached the limit: either exactly at it while generating, or right after
        // a prompt that crossed it (then nothing was generated).
        let calls = recorder.events.compactMap { event -> CallRecord? in
            if case .modelCallFinished(let r, _) = event { return r }
            return nil
        }
        XCTAssertGreaterThan(calls.count, 1)
        XCTAssertEqual(calls.last?.outcome, .budget)
        XCTAssertTrue(result.usage.totalTokens == 400 || calls.last?.tokens.generated == 0, "\(result.usage)")
        XCTAssertLessThan(result.usage.totalTokens - (calls.last.map { $0.tokens.prompt + $0.tokens.generated } ?? 0), 400)
    }

    func testCostBudgetStopsALoopingModel() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [loopForever], repeatLast: true, secondsPerToken: 0.0001)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend],
                                                                      prices: expensivePrices()))
        let result = await runner.run(profile: testProfile(budget: Budget(maxCost: Cost(dollars: 0.05))), task: "x")
        guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
        XCTAssertEqual(exhaustion.kind, .cost)
        XCTAssertGreaterThanOrEqual(result.usage.cost, Cost(dollars: 0.05))
        XCTAssertGreaterThan(result.usage.cloudCost, .zero)
    }

    func testTimeBudgetStopsASlowLoopingModel() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [loopForever], repeatLast: true, tokenDelay: 0.02)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let start = Date()
        let result = await runner.run(profile: testProfile(budget: Budget(maxSeconds: 0.5)), task: "x")
        guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
        XCTAssertEqual(exhaustion.kind, .time)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testTimeBudgetStopsAHangingTool() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [#"{"tool": "run_shell", "arguments": {"command": "sleep 30"}}"#])
        var environment = try scriptedEnvironment(dir, backends: ["main": backend])
        environment.confirm = { _ in true }
        let start = Date()
        let result = await AgentRunner(environment: environment)
            .run(profile: testProfile(tools: ["run_shell"], budget: Budget(maxSeconds: 0.5)), task: "x")
        guard case .budget(let exhaustion) = result.stop else { return XCTFail("\(result.stop)") }
        XCTAssertEqual(exhaustion.kind, .time)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
    }

    func testDepthBudgetRefusesDelegation() async throws {
        let dir = try TemporaryDirectory()
        try dir.write(".agents/helper.yaml", "system: You help.\n")
        let parent = ScriptedBackend(replies: [#"{"tool": "ask_helper", "arguments": {"task": "help"}}"#, #"{"answer": "alone"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(
            dir, backends: ["main": parent, "helper": ScriptedBackend(replies: [#"{"answer": "helped"}"#])]))
        let result = await runner.run(profile: testProfile(tools: ["ask_helper"], budget: Budget(maxSteps: 5, maxDepth: 0)),
                                      task: "x")
        XCTAssertEqual(result.answer, "alone")
        let requests = await parent.log.requests
        XCTAssertEqual(requests[1].messages.last?.content,
                       "Result of ask_helper:\ncannot delegate to 'helper': the depth budget allows no further sub-agents")
    }

    // MARK: Sub-agents

    func testSubAgentAnswersAndItsCallsHangUnderTheToolCall() async throws {
        let dir = try TemporaryDirectory()
        try dir.write(".agents/helper.yaml", "description: Summarizes things.\nsystem: You summarize.\ntools: [read_file]\n")
        let parent = ScriptedBackend(replies: [#"{"tool": "ask_helper", "arguments": {"task": "summarize notes"}}"#,
                                               #"{"answer": "The helper says: short."}"#])
        let helper = ScriptedBackend(replies: [#"{"answer": "short."}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": parent, "helper": helper]))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(tools: ["ask_helper"], budget: Budget(maxSteps: 5, maxDepth: 1)),
                                      task: "x", events: recorder.sink)
        XCTAssertEqual(result.answer, "The helper says: short.")
        XCTAssertEqual(recorder.names.filter { $0 != "token" },
                       ["run:main", "model", "model-done", "tool:ask_helper", "run:helper", "model", "model-done",
                        "done:helper", "tool-done", "model", "model-done", "done:main"])
        // The parent's usage includes the helper's call.
        XCTAssertEqual(result.usage.steps, 3)
        let helperRequests = await helper.log.requests
        XCTAssertEqual(helperRequests.first?.messages.last, AgentMessage(.user, "summarize notes"))
        XCTAssertTrue(helperRequests.first?.messages.first?.content.contains("Summarizes") == false)
        // Tree: main → model → ask_helper → helper → model.
        var tree = CallTree()
        for event in recorder.events { tree.apply(event) }
        XCTAssertEqual(tree.roots.count, 1)
        let rows = tree.roots[0].depthFirst().map { row -> String in
            let r = row.node.record
            return String(repeating: " ", count: row.depth) + (r.tool ?? r.agent ?? "?") + ":" + r.kind.rawValue
        }
        XCTAssertEqual(rows, ["main:agent", " main:model", "  ask_helper:tool", "   helper:agent", "    helper:model",
                              " main:model"])
        XCTAssertTrue(tree.running.isEmpty)
        let modelTokens = tree.records.filter { $0.kind == .model }.reduce(TokenCounts.zero) { $0 + $1.tokens }
        XCTAssertEqual(tree.totals.tokens, modelTokens)
        XCTAssertEqual(tree.roots[0].totals.tokens.prompt + tree.roots[0].totals.tokens.generated, result.usage.totalTokens)
    }

    func testParentsRemainingStepsBoundTheChild() async throws {
        let dir = try TemporaryDirectory()
        try dir.write(".agents/helper.yaml", "system: You loop.\ntools: [calculator]\nbudget:\n  max_steps: 50\n")
        let parent = ScriptedBackend(replies: [#"{"tool": "ask_helper", "arguments": {"task": "loop"}}"#, #"{"answer": "x"}"#])
        let helper = ScriptedBackend(replies: [loopForever], repeatLast: true)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": parent, "helper": helper]))
        let result = await runner.run(profile: testProfile(tools: ["ask_helper"], budget: Budget(maxSteps: 4, maxDepth: 1)),
                                      task: "x")
        // Parent used 1 step; the helper may use the 3 left, then the parent has none for its second call.
        let helperRequests = await helper.log.requests
        XCTAssertEqual(helperRequests.count, 3)
        XCTAssertEqual(result.stop, .budget(BudgetExhaustion(kind: .steps, used: 4, limit: 4)))
    }

    // MARK: Cancellation

    func testCancellationStopsGenerationPromptly() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [loopForever], repeatLast: true, tokenDelay: 0.05)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        let start = Date()
        let task = Task { await runner.run(profile: testProfile(budget: .unlimited), task: "x") }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let result = await task.value
        XCTAssertEqual(result.stop, .cancelled)
        XCTAssertEqual(result.record.outcome, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testEndingTheEventStreamCancelsTheRun() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [loopForever], repeatLast: true, tokenDelay: 0.01)
        let runner = AgentRunner(environment: try scriptedEnvironment(dir, backends: ["main": backend]))
        var seen = 0
        for await event in runner.events(profile: testProfile(budget: .unlimited), task: "x") {
            if case .token = event { seen += 1 }
            if seen == 20 { break }
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        let count = await backend.log.requests.count
        try await Task.sleep(nanoseconds: 300_000_000)
        let later = await backend.log.requests.count
        XCTAssertEqual(count, later, "the run kept calling the model after the stream ended")
    }

    // MARK: Ledger

    func testEveryCallIsWrittenToTheLedgerAsATree() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("facts.txt", "Fredville")
        try dir.write(".agents/helper.yaml", "system: You help.\n")
        let ledger = try LedgerStore(path: dir.url.appendingPathComponent("ledger.sqlite").path)
        let parent = ScriptedBackend(replies: [#"{"tool": "read_file", "arguments": {"path": "facts.txt"}}"#,
                                               #"{"tool": "ask_helper", "arguments": {"task": "check"}}"#,
                                               #"{"answer": "Fredville"}"#])
        let helper = ScriptedBackend(replies: [#"{"answer": "checked"}"#])
        let runner = AgentRunner(environment: try scriptedEnvironment(
            dir, backends: ["main": parent, "helper": helper], ledger: ledger, prices: expensivePrices()))
        let recorder = EventRecorder()
        let result = await runner.run(profile: testProfile(tools: ["read_file", "ask_helper"],
                                                           budget: Budget(maxSteps: 9, maxDepth: 1)),
                                      task: "x", runID: "run-1", events: recorder.sink)
        XCTAssertEqual(result.answer, "Fredville")
        let records = try await ledger.records(matching: LedgerFilter(runID: "run-1"))
        XCTAssertEqual(records.map(\.kind).filter { $0 == .model }.count, 4)
        XCTAssertEqual(records.map(\.kind).filter { $0 == .tool }.count, 2)
        XCTAssertEqual(records.map(\.kind).filter { $0 == .agent }.count, 2)
        let trees = try await ledger.tree(run: "run-1")
        XCTAssertEqual(trees.count, 1)
        XCTAssertEqual(trees[0].record.id, result.record.id)
        // Ledger totals = sum of per-call counts = what the run charged to its budget.
        let total = try await ledger.total(matching: LedgerFilter(runID: "run-1"))
        let sum = records.reduce(TokenCounts.zero) { $0 + $1.tokens }
        XCTAssertEqual(total.tokens, sum)
        XCTAssertEqual(trees[0].totals.tokens, sum)
        XCTAssertEqual(sum.prompt + sum.generated, result.usage.totalTokens)
        XCTAssertEqual(total.localCost, result.usage.cost)
        XCTAssertEqual(total.cloudCost, result.usage.cloudCost)
        // The live tree from events agrees with the ledger.
        var tree = CallTree()
        for event in recorder.events { tree.apply(event) }
        XCTAssertEqual(tree.totals, total)
        // Prompt tokens are what the backend counted for the rendered conversation.
        let requests = await parent.log.requests
        let parentModelCalls = records.filter { $0.kind == .model && $0.agent == "main" }
        XCTAssertEqual(parentModelCalls.map(\.tokens.prompt), requests.map(ScriptedBackend.promptTokens(of:)))
    }
}
