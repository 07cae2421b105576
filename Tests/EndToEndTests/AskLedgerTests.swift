// `tokenworks ask` writes its one model call to the ledger, local or remote, with the same counts it prints
// in --json; and an unwritable ledger is a warning, never a lost answer.
import Foundation
import Ledger
import TestSupport
import XCTest

final class AskLedgerTests: XCTestCase {
    func testALocalAskIsRecordedWithItsTokensAndCost() async throws {
        let harness = try ChatHarness()
        let run = harness.runBinary(["ask", "--temperature", "0", "--max-tokens", "8", "--spec", "none", "Say hi."])
        XCTAssertEqual(run.status, 0, run.output)
        let records = try await harness.ledger().records(matching: LedgerFilter())
        XCTAssertEqual(records.count, 1, "\(records)")
        let call = try XCTUnwrap(records.first)
        XCTAssertEqual(call.kind, .model)
        XCTAssertEqual(call.agent, "ask")
        XCTAssertEqual(call.model, URL(fileURLWithPath: harness.model).lastPathComponent)
        XCTAssertEqual(call.tokens.generated, 8)
        XCTAssertGreaterThan(call.tokens.prompt, 3)
        XCTAssertGreaterThan(call.computeSeconds, 0)
        XCTAssertGreaterThan(call.localCost.nanodollars, 0, "the machine's time is priced")
    }

    func testARemoteAskIsRecordedWithTheServersUsage() async throws {
        let server = try ServeHarness()
        let harness = try ChatHarness()
        let run = harness.runBinary(["ask", "--temperature", "0", "--max-tokens", "8",
                                     "--model", "smol@\(server.baseURL)", "Say hi."])
        XCTAssertEqual(run.status, 0, run.output)
        let records = try await harness.ledger().records(matching: LedgerFilter())
        let call = try XCTUnwrap(records.first)
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(call.model, "smol")
        XCTAssertEqual(call.tokens.generated, 8)
        XCTAssertEqual(call.computeSeconds, 0)
        let served = try await server.servedRecords()
        XCTAssertEqual(served.last?.tokens.prompt, call.tokens.prompt)
    }

    func testAnUnwritableLedgerIsAWarningAndTheAnswerStillComes() throws {
        let harness = try ChatHarness()
        // The data folder is a file: no ledger can be created under it, whoever runs the test.
        let blocked = harness.home.appendingPathComponent("blocked")
        try Data("not a folder".utf8).write(to: blocked)
        var env = ProcessInfo.processInfo.environment
        env.merge(harness.environment) { _, new in new }
        env["XDG_DATA_HOME"] = blocked.path
        let run = TestResources.run(harness.binary.path, ["ask", "--temperature", "0", "--max-tokens", "4", "Say hi."],
                                    environment: env, currentDirectory: harness.home)
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("warning: the call was not recorded in the ledger"), run.output)
    }
}
