// Shared helpers of the ledger tests: fresh temporary ledgers, record builders, and the sqlite3 CLI as an
// independent reader of the files our store writes.
import Foundation
import Ledger
import TestSupport
import XCTest

/// A temporary folder removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("ledger-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock {
        try? FileManager.default.removeItem(at: url)
    }
    return url
}

/// Runs the sqlite3 command-line shell on `path` (a second, independent process and SQLite build) and returns
/// its output; fails the test when the shell is missing or errs.
func sqlite3(_ path: String, _ sql: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    let (status, output) = TestResources.run("/usr/bin/env", ["sqlite3", "-batch", path, sql])
    XCTAssertEqual(status, 0, "sqlite3 failed (install it: apt-get install sqlite3): \(output)", file: file, line: line)
    return output.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A fixed instant with a millisecond part, so time round trips are exercised.
let baseTime = Date(timeIntervalSince1970: 1_751_371_200.125)  // 2025-07-01T12:00:00.125Z

/// A model call `seconds` after `baseTime`, with the given tokens.
func modelCall(_ id: String, parent: String? = nil, run: String = "run-1", session: String? = "session-1",
               agent: String? = "coder", model: String? = "SmolLM2-135M-Instruct.Q4_1.gguf", at seconds: Double = 0,
               prompt: Int = 0, cached: Int = 0, generated: Int = 0, compute: Double = 0, local: Int64 = 0,
               cloud: Int64? = nil, kind: CallRecord.Kind = .model, tool: String? = nil,
               outcome: CallRecord.Outcome = .ok) -> CallRecord {
    CallRecord(id: id, parentID: parent, runID: run, sessionID: session, kind: kind, agent: agent, model: model,
               tool: tool, startedAt: baseTime.addingTimeInterval(seconds),
               endedAt: baseTime.addingTimeInterval(seconds + 1.5),
               tokens: TokenCounts(prompt: prompt, cached: cached, generated: generated), computeSeconds: compute,
               localCost: Cost(nanodollars: local), cloudCost: cloud.map { Cost(nanodollars: $0) },
               cloudModel: cloud == nil ? nil : "gpt-4.1-mini", outcome: outcome,
               errorText: outcome == .ok ? nil : "failed")
}

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsLedgerError<T>(_ expected: LedgerError, _ body: () async throws -> T,
                                   file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await body()
        XCTFail("expected \(expected), nothing was thrown", file: file, line: line)
    } catch let error as LedgerError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
