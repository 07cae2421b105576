// The store on real SQLite files: schema migration, exact round trips, sessions and the errors of bad files.
// The sqlite3 shell reads the files independently, so the tests check what is on disk, not only our reader.
import Foundation
import Ledger
import XCTest

final class LedgerStoreTests: XCTestCase {
    /// A record with every field set to a value other than its default.
    func fullRecord() -> CallRecord {
        CallRecord(
            id: "7b0e2c3a-4c1e-4f5e-9a77-0c6f5a1d2e3f", parentID: "parent-1", runID: "run-1", sessionID: "session-1",
            kind: .scriptStep, agent: "planner, v2", model: "SmolLM2-135M-Instruct.Q4_1.gguf", tool: "read_file",
            startedAt: Date(timeIntervalSince1970: 1_751_371_200.1234),
            endedAt: Date(timeIntervalSince1970: 1_751_371_203.9876),
            tokens: TokenCounts(prompt: 1234, cached: 1000, generated: 321, drafted: 90, accepted: 70, rejected: 19),
            meanBatchSize: 2.75, computeShare: 0.4, timeToFirstToken: 0.0625, tokensPerSecond: 87.5,
            computeSeconds: 1.2345678, localCost: Cost(nanodollars: 34_293), cloudCost: Cost(nanodollars: 690_000),
            cloudModel: "gpt-4.1-mini", outcome: .budget, errorText: "token budget of 5000 spent\nstopped “here”",
            details: ["stop": "budget", "exit": 0, "nested": ["a": [1, true, nil], "é": "ü"]])
    }

    func testFreshLedgerIsMigratedToTheCurrentSchemaInWALMode() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        _ = try LedgerStore(path: path)
        XCTAssertEqual(sqlite3(path, "PRAGMA journal_mode"), "wal")
        XCTAssertEqual(sqlite3(path, "SELECT identifier FROM grdb_migrations"), "v1: calls and sessions")
        XCTAssertEqual(sqlite3(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('calls', 'sessions') ORDER BY name"),
                       "calls\nsessions")
        XCTAssertEqual(sqlite3(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls' AND sql IS NOT NULL ORDER BY name"),
                       "calls_by_model\ncalls_by_run\ncalls_by_session\ncalls_by_time")
    }

    func testReopeningAMigratedLedgerKeepsItsRecords() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        try await LedgerStore(path: path).record(fullRecord())
        let reopened = try LedgerStore(path: path)
        let records = try await reopened.records()
        XCTAssertEqual(records, [fullRecord()])
        XCTAssertEqual(sqlite3(path, "SELECT count(*) FROM grdb_migrations"), "1")
    }

    func testEveryFieldSurvivesTheRoundTrip() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        let store = try LedgerStore(path: path)
        let minimal = CallRecord(id: "minimal", runID: "run-2", kind: .tool, startedAt: baseTime, endedAt: baseTime)
        try await store.record(fullRecord())
        try await store.record(minimal)
        let records = try await store.records()
        XCTAssertEqual(records, [fullRecord(), minimal])
        XCTAssertEqual(records.first?.startedAt, Date(timeIntervalSince1970: 1_751_371_200.123))
        XCTAssertEqual(records.first?.computeSeconds, 1.234568)
    }

    func testStoredColumnsUseMillisecondsMicrosecondsAndNanodollars() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        try await LedgerStore(path: path).record(fullRecord())
        XCTAssertEqual(sqlite3(path, "SELECT started_ms, ended_ms, compute_us, local_cost_nusd, cloud_cost_nusd, kind, outcome FROM calls"),
                       "1751371200123|1751371203988|1234568|34293|690000|script_step|budget")
        XCTAssertEqual(sqlite3(path, "SELECT details FROM calls"),
                       #"{"exit":0,"nested":{"a":[1,true,null],"é":"ü"},"stop":"budget"}"#)
    }

    func testDuplicateIdIsRefusedAndNamed() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        let store = try LedgerStore(path: path)
        try await store.record(fullRecord())
        await XCTAssertThrowsLedgerError(.duplicateRecord(path: path, id: fullRecord().id)) {
            try await store.record(self.fullRecord())
        }
        XCTAssertEqual(LedgerError.duplicateRecord(path: "/l.sqlite", id: "x").description,
                       "the ledger /l.sqlite already holds a call with id x: every call needs a fresh UUID")
    }

    func testBatchInsertIsAllOrNothing() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        let store = try LedgerStore(path: path)
        let a = modelCall("a"), b = modelCall("b")
        await XCTAssertThrowsLedgerError(.duplicateRecord(path: path, id: "a")) { try await store.insert([a, b, a]) }
        let afterFailure = try await store.records()
        XCTAssertEqual(afterFailure, [])
        try await store.insert([a, b])
        let afterSuccess = try await store.records()
        XCTAssertEqual(afterSuccess.map(\.id), ["a", "b"])
    }

    func testRecordBreakingAnInvariantIsNotWritten() async throws {
        let store = try LedgerStore(path: try makeTemporaryDirectory(self).appendingPathComponent("l.sqlite").path)
        let bad = modelCall("bad", prompt: 10, cached: 20)
        await XCTAssertThrowsLedgerError(.invalidRecord(id: "bad", field: "cached tokens",
                                                        problem: "(20) exceed prompt tokens (10)")) {
            try await store.record(bad)
        }
        XCTAssertEqual(LedgerError.invalidRecord(id: "bad", field: "cached tokens", problem: "(20) exceed prompt tokens (10)")
            .description, "call record bad was not written: cached tokens (20) exceed prompt tokens (10)")
        let records = try await store.records()
        XCTAssertEqual(records, [])
    }

    func testSessionsAreSavedUpdatedAndListedNewestFirst() async throws {
        let store = try LedgerStore(path: try makeTemporaryDirectory(self).appendingPathComponent("l.sqlite").path)
        let first = SessionRecord(id: "s1", title: "first", createdAt: baseTime, model: "smollm2")
        var second = SessionRecord(id: "s2", title: "second", createdAt: baseTime.addingTimeInterval(60))
        try await store.save(first)
        try await store.save(second)
        second.title = "second, renamed"
        try await store.save(second)
        let sessions = try await store.sessions()
        XCTAssertEqual(sessions, [second, first])
        let found = try await store.session(id: "s1")
        XCTAssertEqual(found, first)
        let missing = try await store.session(id: "nope")
        XCTAssertNil(missing)
    }

    func testDefaultPathFollowsXDGDataHome() {
        XCTAssertEqual(LedgerStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"]),
                       "/data/tokenworks/ledger.sqlite")
        XCTAssertEqual(LedgerStore.defaultPath(environment: ["XDG_DATA_HOME": "", "HOME": "/home/u"]),
                       "/home/u/.local/share/tokenworks/ledger.sqlite")
    }

    func testLedgerFromANewerSchemaIsRefusedWithTheUnknownSteps() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        _ = try LedgerStore(path: path)
        _ = sqlite3(path, "INSERT INTO grdb_migrations VALUES ('v2: from the future')")
        await XCTAssertThrowsLedgerError(.schemaTooNew(path: path, unknownMigrations: ["v2: from the future"])) {
            try LedgerStore(path: path)
        }
        XCTAssertEqual(LedgerError.schemaTooNew(path: "/l.sqlite", unknownMigrations: ["v2: x"]).description,
                       "the ledger /l.sqlite was written by a newer Tokenworks (unknown schema steps: v2: x): "
                       + "upgrade Tokenworks or point the ledger at another path")
    }

    func testFileThatIsNotADatabaseIsReportedAsDamaged() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        try Data(String(repeating: "not a database. ", count: 512).utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try LedgerStore(path: path)
            XCTFail("a text file opened as a ledger")
        } catch {
            guard case .corrupt(let errorPath, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(error.description.hasSuffix("move it aside and Tokenworks will start a new one"))
        }
    }

    func testRowWithAnUnknownKindIsReportedWithItsColumn() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        let store = try LedgerStore(path: path)
        _ = sqlite3(path, "INSERT INTO calls (id, run_id, kind, started_ms, ended_ms, outcome) VALUES ('x', 'r', 'dream', 0, 0, 'ok')")
        await XCTAssertThrowsLedgerError(.invalidRow(path: path, id: "x", column: "kind", detail: "unknown kind 'dream'")) {
            try await store.records()
        }
    }

    func testIntegrityCheckOfAHealthyLedgerIsOK() async throws {
        let store = try LedgerStore(path: try makeTemporaryDirectory(self).appendingPathComponent("l.sqlite").path)
        try await store.record(fullRecord())
        let check = try await store.integrityCheck()
        XCTAssertEqual(check, ["ok"])
    }
}
