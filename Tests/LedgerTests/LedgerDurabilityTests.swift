// Durability: every recorded call is visible to another process at once, a writer killed with SIGKILL leaves a
// sound file with all its committed rows, and unwritable places give a clear error instead of a crash.
import Foundation
import Ledger
import TestSupport
import XCTest

final class LedgerDurabilityTests: XCTestCase {
    func testEachRecordedCallIsVisibleToAnotherProcessWhileTheStoreIsOpen() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        let store = try LedgerStore(path: path)
        for index in 0..<40 {
            try await store.record(modelCall("call-\(index)", at: Double(index), prompt: index))
            if index == 9 {
                XCTAssertEqual(sqlite3(path, "SELECT count(*) FROM calls"), "10")
            }
        }
        // The store is still open, nothing was checkpointed or closed: the rows are read from the WAL.
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertEqual(sqlite3(path, "SELECT count(*), sum(prompt_tokens) FROM calls"), "40|780")
        _ = store
    }

    func testWriterKilledMidStreamLeavesASoundFileWithEveryCommittedCall() async throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("ledger.sqlite").path
        let store = try LedgerStore(path: path)

        // The killed process writes as the store does: WAL, synchronous=NORMAL, one transaction per call, and
        // reports each id on stdout only after its COMMIT returned.
        let writer = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            pad = '{"pad": "' + "x" * 3000 + '"}'
            i = 0
            while True:
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO calls (id, run_id, kind, started_ms, ended_ms, prompt_tokens, outcome, details) "
                           "VALUES (?, 'killed', 'model', ?, ?, ?, 'ok', ?)", ("k%06d" % i, i, i + 1, i, pad))
                db.execute("COMMIT")
                sys.stdout.write("k%06d\\n" % i)
                sys.stdout.flush()
                i += 1
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", writer, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()

        // Meanwhile this process keeps recording through the store (two writers on one file).
        var reported = Data()
        var ours = 0
        while reported.filter({ $0 == UInt8(ascii: "\n") }).count < 400 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // the writer died on its own: the assertions below will say so
            reported.append(chunk)
            if ours < 20 {
                try await store.record(modelCall("ours-\(ours)", run: "ours", at: Double(ours)))
                ours += 1
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        reported.append(output.fileHandleForReading.readDataToEndOfFile())
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(process.terminationStatus, SIGKILL)

        let committed = String(decoding: reported, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)  // the last piece is empty or a partly written id
        XCTAssertGreaterThanOrEqual(committed.count, 400)

        let reopened = try LedgerStore(path: path)
        let check = try await reopened.integrityCheck()
        XCTAssertEqual(check, ["ok"])
        let killedRun = try await reopened.records(matching: LedgerFilter(runID: "killed"))
        let found = Set(killedRun.map(\.id))
        XCTAssertTrue(Set(committed).isSubset(of: found), "\(Set(committed).subtracting(found).count) committed calls lost")
        XCTAssertLessThanOrEqual(killedRun.count, committed.count + 1, "at most the call in flight is extra")
        for record in killedRun {
            XCTAssertEqual(record.id, String(format: "k%06d", record.tokens.prompt))
        }
        let oursFound = try await reopened.records(matching: LedgerFilter(runID: "ours"))
        XCTAssertEqual(oursFound.count, ours)
        XCTAssertEqual(sqlite3(path, "PRAGMA integrity_check"), "ok")
    }

    // MARK: Unwritable places

    /// Makes `directory` unwritable even for root (whom permission bits do not stop) with the immutable flag.
    func makeUnwritable(_ directory: URL) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        addTeardownBlock {
            if geteuid() == 0 { TestResources.run("/usr/bin/env", ["chattr", "-i", directory.path]) }
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        }
        if geteuid() == 0 {
            let (status, output) = TestResources.run("/usr/bin/env", ["chattr", "+i", directory.path])
            XCTAssertEqual(status, 0, "running as root, the folder can only be made unwritable with chattr +i: \(output)")
        }
    }

    func testNewLedgerInAReadOnlyFolderIsAClearError() async throws {
        let directory = try makeTemporaryDirectory(self).appendingPathComponent("readonly")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try makeUnwritable(directory)
        let path = directory.appendingPathComponent("ledger.sqlite").path
        await XCTAssertThrowsLedgerError(.readOnly(path: path)) { try LedgerStore(path: path) }
        XCTAssertEqual(LedgerError.readOnly(path: path).description,
                       "the ledger \(path) is read-only: calls are not being recorded — "
                       + "make the file and its folder writable or point the ledger at another path")
    }

    func testExistingLedgerInAFolderThatBecameReadOnlyIsAClearError() async throws {
        let directory = try makeTemporaryDirectory(self).appendingPathComponent("readonly")
        let path = directory.appendingPathComponent("ledger.sqlite").path
        try await LedgerStore(path: path).record(modelCall("before"))
        try makeUnwritable(directory)
        await XCTAssertThrowsLedgerError(.readOnly(path: path)) { try LedgerStore(path: path) }
    }

    func testFolderThatCannotBeCreatedIsNamed() async throws {
        let blocker = try makeTemporaryDirectory(self).appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("tokenworks/ledger.sqlite").path
        do {
            _ = try LedgerStore(path: path)
            XCTFail("opened a ledger below a regular file")
        } catch {
            guard case .cannotCreateDirectory(let folder, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(folder, blocker.appendingPathComponent("tokenworks").path)
        }
    }
}
