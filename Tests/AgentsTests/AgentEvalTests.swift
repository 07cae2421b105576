// The evaluation set loads, its answer checks work, and a task runs end to end with a scripted model.
import Agents
import Foundation
import XCTest

final class AgentEvalTests: XCTestCase {
    private var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testCommittedTaskSetLoadsWithEveryCategory() throws {
        let tasks = try EvalTask.load(from: repository.appendingPathComponent("bench/agent-eval/tasks.yaml"))
        XCTAssertGreaterThanOrEqual(tasks.count, 20)
        XCTAssertEqual(Set(tasks.map(\.category)), ["file", "arithmetic", "delegation", "multi-step"])
        for task in tasks {
            XCTAssertFalse(task.expect.contains.isEmpty && task.expect.any.isEmpty && task.expect.number == nil,
                           "\(task.id) checks nothing")
        }
    }

    func testNumberExpectationFindsNumbersInProse() {
        let expect = EvalTask.Expectation(number: 12000)
        XCTAssertTrue(expect.accepts("Oakton has 12,000 people.", toolsCalled: []))
        XCTAssertTrue(expect.accepts("12000", toolsCalled: []))
        XCTAssertFalse(expect.accepts("about 1200 people", toolsCalled: []))
    }

    func testToolExpectationRequiresTheCall() {
        let expect = EvalTask.Expectation(contains: ["Fredville"], tools: ["read_file"])
        XCTAssertFalse(expect.accepts("Fredville", toolsCalled: []))
        XCTAssertTrue(expect.accepts("It is fredville.", toolsCalled: ["read_file"]))
    }

    func testDuplicateTaskIdIsAnError() {
        let yaml = "tasks:\n  - {id: a, prompt: x, expect: {contains: [y]}}\n  - {id: a, prompt: x, expect: {contains: [y]}}\n"
        XCTAssertEqual(agentsError { try EvalTask.parse(yaml: yaml, file: "t.yaml") }?.description,
                       "t.yaml:3: 'id' must be unique, found a second 'a'")
    }

    func testRunsATaskInAFreshWorkspace() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("agents/default.yaml", "system: Test.\ntools: [read_file]\n")
        let task = EvalTask(id: "t", category: "file", prompt: "capital?", files: ["facts.txt": "Fredville"],
                            profile: "default", tools: nil,
                            expect: EvalTask.Expectation(contains: ["Fredville"], tools: ["read_file"]))
        let backend = ScriptedBackend(replies: [#"{"tool": "read_file", "arguments": {"path": "facts.txt"}}"#,
                                                #"{"answer": "Fredville"}"#])
        let eval = AgentEval(profiles: ProfileLibrary(directories: [dir.url.appendingPathComponent("agents")],
                                                      promptDirectories: []),
                             backends: { _ in backend })
        let summary = try await eval.run([task], constrained: false)
        XCTAssertEqual(summary.successes, 1)
        XCTAssertEqual(summary.outcomes[0].steps, 2)
        XCTAssertEqual(summary.outcomes[0].toolsCalled, ["read_file"])
        let requests = await backend.log.requests
        XCTAssertEqual(requests[1].messages.last?.content, "Result of read_file:\nFredville")
    }
}
