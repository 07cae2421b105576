// `tokenworks run` on the real binary and the real default model: the example scripts run for real, the JSON
// report, `--dry-run` (no model needed), errors with file:line:column, and the exit codes of failures and of a
// budget that runs out.
import Foundation
import Ledger
import TestSupport
import XCTest

final class RunCommandTests: XCTestCase {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary from the repository root with the harness's private data folders; stdout and stderr apart.
    private func run(_ h: ChatHarness, _ arguments: [String], stdin: String = "",
                     environment extra: [String: String] = [:]) -> Output {
        let process = Process()
        process.executableURL = h.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(h.environment) { _, new in new }
        env.merge(extra) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = TestResources.repositoryRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        do { try process.run() } catch { return Output(status: -1, stdout: "", stderr: "\(error)") }
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        // Read both pipes at once so neither can fill up and block the program.
        let errData = SetOnce(Data())
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { Thread.sleep(forTimeInterval: 0.01) }
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// Writes a script into the test's own folder and returns its path.
    private func script(_ h: ChatHarness, _ name: String, _ yaml: String) throws -> String {
        let url = h.home.appendingPathComponent(name)
        try Data(yaml.utf8).write(to: url)
        return url.path
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    // MARK: The examples, for real

    func testSummarizeFolderExampleSummarisesEachFile() async throws {
        let h = try ChatHarness()
        let result = run(h, ["run", "examples/summarize-folder.yaml"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.stdout)
        XCTAssertTrue(lines[0].hasPrefix("examples/sample-docs/btrees.txt: "), result.stdout)
        XCTAssertTrue(lines[1].hasPrefix("examples/sample-docs/tea.txt: "), result.stdout)
        XCTAssertTrue(lines[2].hasPrefix("Overview: "), result.stdout)
        XCTAssertTrue(result.stderr.contains("[2/3] summaries: ok · 2 items"), result.stderr)
        XCTAssertTrue(result.stderr.contains("ledger: run "), result.stderr)
        let records = try await h.ledger().records()
        XCTAssertEqual(records.filter { $0.kind == .model }.count, 3, "one summary per file and the overview")
        XCTAssertEqual(records.filter { $0.kind == .tool }.map(\.tool), ["list_dir", "read_file", "read_file"])
        let runs = Set(records.map(\.runID))
        XCTAssertEqual(runs.count, 1)
        let trees = try await h.ledger().tree(run: try XCTUnwrap(runs.first))
        XCTAssertEqual(trees.count, 1, "one tree: the script")
        XCTAssertEqual(trees.first?.record.agent, "summarize-folder")
        XCTAssertEqual(trees.first?.children.map { $0.record.agent ?? "" }, ["listing", "summaries", "overview"])
    }

    func testExtractJSONExampleWritesJSONOfTheSchema() throws {
        let h = try ChatHarness()
        let result = run(h, ["run", "examples/extract-json.yaml"],
                         stdin: "Ada Lovelace, born 1815 in London, wrote the first program.")
        XCTAssertEqual(result.status, 0, result.stderr)
        let person = try json(result.stdout)
        XCTAssertEqual(person.keys.sorted(), ["born", "city", "name"], result.stdout)
        XCTAssertTrue(person["name"] is String, result.stdout)
        XCTAssertTrue(person["city"] is String, result.stdout)
        let born = try XCTUnwrap(person["born"] as? NSNumber, result.stdout)
        XCTAssertEqual(born.doubleValue, born.doubleValue.rounded(), "an integer, as the schema says")
    }

    func testPlanAndDelegateExampleHandsEachTaskToTheWorker() throws {
        let h = try ChatHarness()
        let result = run(h, ["run", "examples/plan-and-delegate.yaml", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try json(result.stdout)
        XCTAssertEqual(report["status"] as? String, "ok")
        XCTAssertFalse((report["output"] as? String ?? "").isEmpty)
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["name"] as? String ?? "" }, ["plan", "work", "report"])
        let plan = try XCTUnwrap((steps[0]["output"] as? [String: Any])?["tasks"] as? [String])
        XCTAssertEqual(steps[1]["items"] as? Int, plan.count, "one worker run per planned task")
        let tree = try XCTUnwrap((report["tree"] as? [[String: Any]])?.first)
        let work = try XCTUnwrap((tree["children"] as? [[String: Any]])?.first { $0["name"] as? String == "work" })
        let items = try XCTUnwrap(work["children"] as? [[String: Any]])
        XCTAssertEqual(items.count, plan.count)
        for item in items {
            let agent = (item["children"] as? [[String: Any]])?.first
            XCTAssertEqual(agent?["kind"] as? String, "agent")
            XCTAssertEqual(agent?["name"] as? String, "worker")
        }
    }

    // MARK: Checking, errors and exit codes

    func testEveryExampleScriptIsValid() throws {
        let h = try ChatHarness()
        let examples = TestResources.repositoryRoot.appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 5, "the examples folder lost scripts: \(names)")
        for name in names {
            let result = run(h, ["run", "--dry-run", "examples/\(name)"])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasPrefix("examples/\(name): valid — "), "\(name): \(result.stdout)")
        }
    }

    func testDryRunNeedsNoModel() throws {
        let h = try ChatHarness()
        let result = run(h, ["run", "--dry-run", "examples/plan-and-delegate.yaml"],
                         environment: ["TOKENWORKS_MODEL": h.home.appendingPathComponent("absent.gguf").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            examples/plan-and-delegate.yaml: valid — 3 steps
              1. plan (prompt, schema)
              2. work (agent, for each, retry 1)
              3. report (prompt)
              inputs: goal = Find the total price of 3 book

            """)
    }

    func testInvalidScriptIsReportedWithLineAndColumn() throws {
        let h = try ChatHarness()
        let path = try script(h, "bad.yaml", """
            steps:
              - name: draft
                prompt: Write something.
              - name: title
                prompt: "A title for {{ drfat }}"
            """)
        for arguments in [["run", "--dry-run", path], ["run", path]] {
            let result = run(h, arguments)
            XCTAssertEqual(result.status, 2)
            XCTAssertEqual(result.stderr, "tokenworks: error: \(path):5:26: 'drfat' is not an input or an earlier "
                           + "step; names known here: draft\n")
            XCTAssertEqual(result.stdout, "")
        }
    }

    func testUnknownVarIsAnInvalidInput() throws {
        let h = try ChatHarness()
        let result = run(h, ["run", "examples/extract-json.yaml", "--var", "txt=hello"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr,
                       "tokenworks: error: --var txt: examples/extract-json.yaml has no input 'txt'; its inputs: text\n")
    }

    func testFailedStepExitsWithOneAndReportsIt() throws {
        let h = try ChatHarness()
        let path = try script(h, "fails.yaml", """
            steps:
              - name: read
                tool: read_file
                arguments: {path: no/such/file.txt}
            """)
        let result = run(h, ["run", path, "--json"])
        XCTAssertEqual(result.status, 1)
        let report = try json(result.stdout)
        XCTAssertEqual(report["status"] as? String, "failed")
        XCTAssertEqual(report["exit_code"] as? Int, 1)
        XCTAssertTrue((report["error"] as? String)?.hasPrefix("\(path):2:5: step 'read' failed: read_file: ") == true,
                      "\(report["error"] ?? "")")
        XCTAssertTrue(result.stderr.contains("tokenworks: error: \(path):2:5: step 'read' failed"), result.stderr)
    }

    func testSpentBudgetStopsTheRunWithExitCodeThree() async throws {
        let h = try ChatHarness()
        let path = try script(h, "tight.yaml", """
            name: tight
            budget: {max_tokens: 40}
            steps:
              - name: talk
                prompt: Tell me a long story about a dragon.
                max_tokens: 200
              - name: more
                prompt: "Continue: {{ talk }}"
            """)
        let result = run(h, ["run", path])
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("tokenworks: error: \(path):2:9: the budget of script 'tight' ran out in "
                                             + "step 'talk': token budget spent: 40 of 40 tokens"), result.stderr)
        let models = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        XCTAssertEqual(models.count, 1, "the second step never runs")
        XCTAssertEqual(models.first?.outcome, .budget)
        XCTAssertEqual(models.first.map { $0.tokens.prompt + $0.tokens.generated }, 40)
    }

    func testCtrlCCancelsTheRunAndRecordsIt() async throws {
        let h = try ChatHarness()
        let path = try script(h, "long.yaml", """
            steps:
              - name: story
                prompt: Tell me a very long story about a dragon.
                max_tokens: 4000
            """)
        let errors = h.home.appendingPathComponent("stderr.txt")
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = h.binary
        process.arguments = ["run", path]
        var env = ProcessInfo.processInfo.environment
        env.merge(h.environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? String(contentsOf: errors, encoding: .utf8)) ?? "").contains("started") {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try await Task.sleep(nanoseconds: 500_000_000)
        process.interrupt()
        process.waitUntilExit()
        let stderr = try String(contentsOf: errors, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("tokenworks: error: the script was cancelled in step 'story'"), stderr)
        let records = try await h.ledger().records()
        XCTAssertEqual(records.first { $0.kind == .model }?.outcome, .cancelled, "the cut call is in the ledger")
        XCTAssertEqual(records.filter { $0.kind == .scriptStep }.map(\.outcome), [.cancelled, .cancelled])
    }
}

/// A value set once from another thread.
private final class SetOnce<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    private var isSet = false
    init(_ value: T) { stored = value }
    func set(_ value: T) { lock.lock(); stored = value; isSet = true; lock.unlock() }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return isSet }
}
