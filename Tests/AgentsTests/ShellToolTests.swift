// run_shell: consent, allow-list, working directory, timeout, output cap and cancellation.
import Agents
import Foundation
import XCTest

/// Records the confirmation requests it receives and answers with a fixed choice.
actor ConfirmationLog {
    private(set) var requests: [ShellConfirmationRequest] = []
    func add(_ r: ShellConfirmationRequest) { requests.append(r) }
}

final class ShellToolTests: XCTestCase {
    private func run(_ tool: RunShellTool, _ command: String, in dir: TemporaryDirectory,
                     answer: Bool = true, log: ConfirmationLog? = nil) async throws -> ToolResult {
        let context = try dir.context { request in
            await log?.add(request)
            return answer
        }
        return try await tool.run(ToolArguments(tool: "run_shell", object: JSONObject([("command", .string(command))])),
                                  context: context)
    }

    func testAsksTheUserAndRunsInTheWorkspace() async throws {
        let dir = try TemporaryDirectory()
        let log = ConfirmationLog()
        let result = try await run(RunShellTool(), "pwd", in: dir, log: log)
        let requests = await log.requests
        XCTAssertEqual(requests.map(\.command), ["pwd"])
        let real = URL(fileURLWithPath: dir.path).resolvingSymlinksInPath().path
        XCTAssertTrue(result.output == "exit status 0\n\(dir.path)\n" || result.output == "exit status 0\n\(real)\n",
                      result.output)
    }

    func testDeclinedCommandDoesNotRun() async throws {
        let dir = try TemporaryDirectory()
        let error = await agentsError { try await self.run(RunShellTool(), "touch made", in: dir, answer: false) }
        XCTAssertEqual(error?.description, "run_shell: the user declined to run 'touch made'")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("made").path))
    }

    func testAllowListedCommandRunsWithoutAsking() async throws {
        let dir = try TemporaryDirectory()
        let log = ConfirmationLog()
        let result = try await run(RunShellTool(allowList: ["echo"]), "echo hi there", in: dir, answer: false, log: log)
        XCTAssertEqual(result.output, "exit status 0\nhi there\n")
        let requests = await log.requests
        XCTAssertTrue(requests.isEmpty)
    }

    func testAllowListDoesNotCoverChainedCommands() {
        let tool = RunShellTool(allowList: ["ls", "git status"])
        XCTAssertTrue(tool.isAllowed("ls -la src"))
        XCTAssertTrue(tool.isAllowed("git status"))
        XCTAssertFalse(tool.isAllowed("ls; rm -rf x"))
        XCTAssertFalse(tool.isAllowed("ls $(rm x)"))
        XCTAssertFalse(tool.isAllowed("lsblk"))
        XCTAssertFalse(tool.isAllowed("git statusx"))
        XCTAssertFalse(tool.isAllowed("ls > out"))
    }

    func testFailingCommandReportsItsStatusAndStderr() async throws {
        let dir = try TemporaryDirectory()
        let result = try await run(RunShellTool(), "echo oops >&2; exit 3", in: dir)
        XCTAssertTrue(result.isError)
        XCTAssertEqual(result.output, "exit status 3\noops\n")
    }

    func testTimeoutKillsTheWholeProcessGroup() async throws {
        let dir = try TemporaryDirectory()
        let start = Date()
        let error = await agentsError {
            try await self.run(RunShellTool(timeout: 0.5), "sleep 30 & sleep 30; echo never", in: dir)
        }
        XCTAssertEqual(error?.description, "run_shell: 'sleep 30 & sleep 30; echo never' did not finish within 0.5 s and was stopped")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testOutputIsCappedAndMarked() async throws {
        let dir = try TemporaryDirectory()
        let result = try await run(RunShellTool(outputLimit: 100), "yes | head -c 1000", in: dir)
        XCTAssertTrue(result.output.hasSuffix("\n[… truncated: 900 more bytes of output not shown]"), result.output)
    }

    func testCancellationStopsTheCommandPromptly() async throws {
        let dir = try TemporaryDirectory()
        let start = Date()
        let context = try dir.context { _ in true }
        let arguments = ToolArguments(tool: "run_shell", object: JSONObject([("command", "sleep 30")]))
        let task = Task { try await RunShellTool(timeout: 60).run(arguments, context: context) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let result = await task.result
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }
}
