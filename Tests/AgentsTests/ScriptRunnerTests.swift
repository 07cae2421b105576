// Running agent scripts with a scripted model: outputs flowing between steps, maps (in order and N at a time),
// conditions, retries, schemas, tool, agent and sub-script steps, budgets that stop the run cleanly, and the
// call tree the ledger receives.
import Agents
import Foundation
import Ledger
import XCTest

final class ScriptRunnerTests: XCTestCase {
    func testOutputsFlowIntoLaterPrompts() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: ["Trees are tall.", "Tall Trees"])
        let (result, recorder) = try await runScript("""
            inputs: {topic: trees}
            steps:
              - name: draft
                prompt: "Write about {{ topic }}."
                system: Be brief.
              - name: title
                prompt: "Title for: {{ draft }}"
            """, in: dir, backend: backend)
        XCTAssertEqual(result.status, .ok)
        XCTAssertEqual(result.output, "Tall Trees")
        let requests = await backend.log.requests
        XCTAssertEqual(requests.map(\.messages), [
            [AgentMessage(.system, "Be brief."), AgentMessage(.user, "Write about trees.")],
            [AgentMessage(.user, "Title for: Trees are tall.")],
        ])
        XCTAssertEqual(recorder.steps, ["start:draft", "ok:draft", "start:title", "ok:title"])
    }

    func testMapRunsItemsInOrder() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: ["A", "B", "C"])
        let (result, recorder) = try await runScript("""
            inputs: {letters: [a, b, c]}
            steps:
              - name: upper
                for_each: "{{ letters }}"
                as: letter
                prompt: "{{ loop.index }}/{{ loop.count }} {{ letter }}"
            """, in: dir, backend: backend)
        XCTAssertEqual(result.output, ["A", "B", "C"])
        let prompts = await backend.log.requests.map { $0.messages.last?.content ?? "" }
        XCTAssertEqual(prompts, ["1/3 a", "2/3 b", "3/3 c"])
        XCTAssertEqual(recorder.steps, ["start:upper", "start:upper[1]", "ok:upper[1]", "start:upper[2]", "ok:upper[2]",
                                        "start:upper[3]", "ok:upper[3]", "ok:upper"])
    }

    func testParallelMapKeepsItemOrderInTheOutput() async throws {
        let dir = try TemporaryDirectory()
        let (result, recorder) = try await runScript("""
            inputs: {numbers: [1, 2, 3, 4, 5]}
            steps:
              - name: doubled
                for_each: "{{ numbers }}"
                parallel: 3
                tool: calculator
                arguments: {expression: "{{ item }} * 2"}
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.status, .ok)
        XCTAssertEqual(result.output, ["2", "4", "6", "8", "10"])
        XCTAssertEqual(recorder.steps.filter { $0.hasPrefix("ok:doubled[") }.count, 5)
    }

    func testWhenFalseSkipsTheStepWithoutCallingTheModel() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: ["only"])
        let (result, recorder) = try await runScript("""
            inputs: {careful: "no"}
            steps:
              - name: check
                when: "{{ careful }}"
                prompt: Double-check everything.
              - name: answer
                prompt: "Checked: {{ check }}."
            """, in: dir, backend: backend)
        XCTAssertEqual(result.output, "only")
        XCTAssertEqual(recorder.steps, ["start:check", "skipped:check", "start:answer", "ok:answer"])
        let prompts = await backend.log.requests.map { $0.messages.last?.content ?? "" }
        XCTAssertEqual(prompts, ["Checked: ."], "a skipped step's output is null, written as nothing")
    }

    func testWhenInAMapLeavesItemsOut() async throws {
        let dir = try TemporaryDirectory()
        let (result, _) = try await runScript("""
            inputs: {numbers: [1, 2, 3]}
            steps:
              - name: odd
                for_each: "{{ numbers }}"
                when: "{{ item != 2 }}"
                tool: calculator
                arguments: {expression: "{{ item }} + 10"}
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.output, ["11", "13"])
    }

    private let schemaStep = """
        steps:
          - name: extract
            prompt: "Give n."
            retry: 1
            schema:
              type: object
              properties: {n: {type: integer}}
              required: [n]
        """

    func testRetryFixesAReplyThatMissedTheSchema() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: ["n is three", #"{"n": 3}"#])
        let (result, recorder) = try await runScript(schemaStep, in: dir, backend: backend)
        XCTAssertEqual(result.status, .ok)
        XCTAssertEqual(result.output, ["n": 3])
        XCTAssertEqual(recorder.steps, ["start:extract", "retry2:extract", "ok:extract"])
        let system = await backend.log.requests.first?.messages.first
        XCTAssertEqual(system, AgentMessage(.system, "Reply with one JSON object with the keys: n."))
    }

    func testAStepFailsOnceItsRetriesAreUsedUp() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: ["n is three", #"{"n": "three"}"#])
        let (result, _) = try await runScript(schemaStep, in: dir, backend: backend)
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.status.exitCode, 1)
        XCTAssertEqual(result.error?.description, "script.yaml:2:5: step 'extract' failed after 2 attempts: step "
                       + "'extract': the output does not match the schema: $.n: expected an integer, found a string; "
                       + #"the output was: {"n": "three"}"#)
    }

    func testScriptTokenBudgetStopsTheRunAndSaysWhichBudget() async throws {
        let dir = try TemporaryDirectory()
        let long = String(repeating: "word ", count: 40)
        let backend = ScriptedBackend(replies: [long, long])
        let (result, recorder) = try await runScript("""
            budget: {max_tokens: 30}
            steps:
              - name: first
                prompt: Go on.
              - name: second
                prompt: And again.
            """, in: dir, backend: backend)
        XCTAssertEqual(result.status, .budget)
        XCTAssertEqual(result.status.exitCode, 3)
        XCTAssertEqual(result.error?.description,
                       "script.yaml:1:9: the budget of script 'script' ran out in step 'first': token budget spent: "
                       + "30 of 30 tokens")
        XCTAssertEqual(recorder.steps, ["start:first", "budget:first"])
        XCTAssertEqual(result.usage.totalTokens, 30, "generation stops at the limit")
        let requests = await backend.log.requests
        XCTAssertEqual(requests.count, 1, "the second step never calls the model")
    }

    func testStepBudgetNamesTheStep() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: ["a", "b", "c"])
        let (result, _) = try await runScript("""
            inputs: {items: [x, y, z]}
            steps:
              - name: each
                for_each: "{{ items }}"
                prompt: "{{ item }}"
                budget: {max_steps: 2}
            """, in: dir, backend: backend)
        XCTAssertEqual(result.status, .budget)
        XCTAssertEqual(result.error?.description,
                       "script.yaml:6:13: step 'each' ran out of its budget: step budget spent: 2 of 2 model calls")
        let requests = await backend.log.requests
        XCTAssertEqual(requests.count, 2, "the third item is not started")
    }

    func testToolStepReadsAFile() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("notes/a.txt", "alpha")
        let (result, _) = try await runScript("""
            inputs: {name: a.txt}
            steps:
              - tool: read_file
                arguments: {path: "notes/{{ name }}"}
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.output, "alpha")
    }

    func testToolFailureFailsTheStep() async throws {
        let dir = try TemporaryDirectory()
        let (result, _) = try await runScript("""
            steps:
              - name: read
                tool: read_file
                arguments: {path: missing.txt}
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.error?.description, "script.yaml:2:5: step 'read' failed: read_file: no such file or "
                       + "directory: 'missing.txt'; files there: script.yaml")
    }

    func testAgentStepRunsTheLoopUnderTheStepInTheLedger() async throws {
        let dir = try TemporaryDirectory()
        let ledger = try LedgerStore(path: dir.url.appendingPathComponent(".ledger.sqlite").path)
        let backend = ScriptedBackend(replies: [#"{"tool": "calculator", "arguments": {"expression": "2 + 2"}}"#,
                                                #"{"answer": "4"}"#])
        let (result, _) = try await runScript("""
            agents:
              adder:
                system: You add numbers.
                tools: [calculator]
            steps:
              - name: sum
                agent: adder
                task: What is 2 + 2?
            """, in: dir, backend: backend, ledger: ledger)
        XCTAssertEqual(result.output, "4")
        let trees = try await ledger.tree(run: "script-run")
        XCTAssertEqual(trees.count, 1)
        let script = try XCTUnwrap(trees.first)
        XCTAssertEqual(script.record.kind, .scriptStep)
        XCTAssertEqual(script.record.agent, "script")
        let step = try XCTUnwrap(script.children.first)
        XCTAssertEqual(step.record.agent, "sum")
        let agent = try XCTUnwrap(step.children.first)
        XCTAssertEqual(agent.record.kind, .agent)
        XCTAssertEqual(agent.record.agent, "adder")
        XCTAssertEqual(agent.children.map(\.record.kind), [.model, .model])
        XCTAssertEqual(agent.children.first?.children.first?.record.tool, "calculator")
        XCTAssertEqual(script.totals.tokens, result.usage.tokens, "the script's totals are its calls' tokens")
    }

    func testSubScriptRunsWithItsVarsForEachItem() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("docs/a.txt", "alpha")
        try dir.write("docs/b.txt", "beta")
        try dir.write("shout.yaml", """
            inputs: {path: null}
            steps:
              - name: text
                tool: read_file
                arguments: {path: "{{ path }}"}
            output: "{{ text | upper }}"
            """)
        let (result, recorder) = try await runScript("""
            steps:
              - name: listing
                tool: list_dir
                arguments: {path: docs}
              - name: shouted
                for_each: "{{ listing | files }}"
                script: shout.yaml
                vars: {path: "docs/{{ item }}"}
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.output, ["ALPHA", "BETA"])
        let subStarts = recorder.events.filter { if case .scriptStarted = $0 { return true } else { return false } }
        XCTAssertEqual(subStarts.count, 3, "the script and one sub-script per item")
        XCTAssertTrue(recorder.steps.contains("start:text"))
    }

    func testOutputTemplateShapesTheResult() async throws {
        let dir = try TemporaryDirectory()
        let (result, _) = try await runScript("""
            steps:
              - name: a
                tool: calculator
                arguments: {expression: "6 * 7"}
            output: "The answer is {{ a }}."
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.outputText, "The answer is 42.")
    }

    func testForEachOverTextFails() async throws {
        let dir = try TemporaryDirectory()
        let (result, _) = try await runScript("""
            inputs: {names: "a, b"}
            steps:
              - for_each: "{{ names }}"
                prompt: "{{ item }}"
            """, in: dir, backend: ScriptedBackend(replies: []))
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.error?.description, "script.yaml:3:16: for_each needs a list, found a string ('a, b'); "
                       + "the `lines` filter makes a list of a text's lines")
    }

    func testCancellingStopsTheRun() async throws {
        let dir = try TemporaryDirectory()
        let backend = ScriptedBackend(replies: [String(repeating: "slow ", count: 200)], tokenDelay: 0.01)
        let script = try loadScript("steps:\n  - name: slow\n    prompt: Go.\n", in: dir)
        let runner = ScriptRunner(environment: try scriptEnvironment(dir, backend: backend))
        let task = Task { await runner.run(script, inputs: [:]) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        let result = await task.value
        XCTAssertEqual(result.status, .cancelled)
        XCTAssertEqual(result.status.exitCode, 130)
    }

    func testReportHasStepsTotalsAndTree() async throws {
        let dir = try TemporaryDirectory()
        let (result, recorder) = try await runScript("""
            steps:
              - name: a
                prompt: Hi.
            """, in: dir, backend: ScriptedBackend(replies: ["Hello there"]))
        let json = ScriptReport(result: result, records: recorder.records).json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["status"] as? String, "ok")
        XCTAssertEqual(object["output"] as? String, "Hello there")
        XCTAssertEqual(object["exit_code"] as? Int, 0)
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.first?["name"] as? String, "a")
        XCTAssertEqual(steps.first?["model_calls"] as? Int, 1)
        let tree = try XCTUnwrap(object["tree"] as? [[String: Any]])
        XCTAssertEqual(tree.first?["kind"] as? String, "script_step")
        let totals = try XCTUnwrap(object["totals"] as? [String: Any])
        XCTAssertEqual(totals["calls"] as? Int, 3, "script, step and model call")
    }
}
