// The chat survives what happens to real processes and disks: SIGKILL at random moments of agent runs (the
// ledger stays sound, keeps every call it reported, and the session resumes), a data folder that turns
// read-only, and a full disk (a clear error, the chat goes on, nothing earlier is lost).
import Foundation
import Ledger
import TestSupport
import XCTest

final class DurabilityTests: XCTestCase {
    /// An agent task the default profile answers with a tool call and then an answer (several ledger rows).
    private let task = "What is 17 * 23? Use the calculator."

    /// Ledger rows of `session`, read with the real store; also checks the file is sound.
    private func ledgerRows(_ harness: ChatHarness, session: String) async throws -> [CallRecord] {
        guard FileManager.default.fileExists(atPath: harness.ledgerPath) else { return [] }
        let store = try harness.ledger()
        let check = try await store.integrityCheck()
        XCTAssertEqual(check, ["ok"], "ledger integrity")
        return try await store.records(matching: LedgerFilter(sessionID: session))
    }

    func testSIGKILLAtRandomMomentsOfAgentRunsNeverCorruptsTheLedgerAndTheSessionResumes() async throws {
        let harness = try ChatHarness()
        let rounds = Int(ProcessInfo.processInfo.environment["TOKENWORKS_KILL_ROUNDS"] ?? "") ?? 20
        var random = MutationRandom(seed: 0x5161_4B11)
        var sessionID: String?
        var knownIDs = Set<String>()
        var entries = 0
        var killedMidRun = 0
        // One full turn first, timed: the kills below spread over 1.25 × that, so most land inside a run however fast
        // this machine and build decode (a fixed 0.05-4 s window let faster decoding finish runs before the kill).
        let calibration = try HeadlessChatProcess(harness, arguments: ["--agent", "default"])
        guard let opened = calibration.wait(for: "# session ", timeout: 60),
              let first = HeadlessChatProcess.session(opened)
        else { return XCTFail("the session did not open: \(calibration.lines.suffix(5))") }
        let started = Date()
        calibration.send(task)
        guard calibration.wait(for: "# turn 1 done", timeout: 180) != nil else {
            return XCTFail("the timing turn did not finish: \(calibration.lines.suffix(8))")
        }
        let turnSeconds = Date().timeIntervalSince(started)
        XCTAssertEqual(calibration.quit(), 0)
        sessionID = first.id
        let window = max(0.5, 1.25 * turnSeconds)
        for round in 1...rounds {
            var arguments = ["--agent", "default"]
            if let sessionID { arguments += ["--resume", sessionID] }
            let chat = try HeadlessChatProcess(harness, arguments: arguments)
            guard let opened = chat.wait(for: "# session ", timeout: 60), let header = HeadlessChatProcess.session(opened)
            else { return XCTFail("round \(round): the session did not open: \(chat.lines.suffix(5))") }
            if let sessionID { XCTAssertEqual(header.id, sessionID, "round \(round) resumed another session") }
            XCTAssertGreaterThanOrEqual(header.entries, entries, "round \(round): the transcript lost entries")
            sessionID = header.id
            entries = header.entries
            let before = try await ledgerRows(harness, session: header.id).count
            chat.send(task)
            // Before the turn starts, during prefill, generation, the tool call, or after the answer.
            let delay = 0.05 + window * Double(random.next(below: 1000)) / 1000
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            let printed = chat.killHard()
            if !printed.contains(where: { $0.hasPrefix("# turn 1 done") }) { killedMidRun += 1 }

            let rows = try await ledgerRows(harness, session: header.id)
            let reported = HeadlessChatProcess.recordedCalls(printed, before: before)
            XCTAssertGreaterThanOrEqual(rows.count, reported, "round \(round): calls reported as recorded were lost")
            let ids = Set(rows.map(\.id))
            XCTAssertTrue(knownIDs.isSubset(of: ids), "round \(round): rows of earlier rounds disappeared")
            knownIDs = ids
        }
        print("durability: \(killedMidRun) of \(rounds) kills landed inside a run (a full turn took \(turnSeconds) s)")
        XCTAssertGreaterThanOrEqual(killedMidRun, rounds / 2, "most kills must land inside a run")

        // After all that, the session resumes and a full agent turn completes and is recorded.
        let sessionIDValue = try XCTUnwrap(sessionID)
        let chat = try HeadlessChatProcess(harness, arguments: ["--agent", "default", "--resume", sessionIDValue])
        let before = try await ledgerRows(harness, session: sessionIDValue).count
        chat.send(task)
        let done = chat.wait(for: "# turn 1 done", timeout: 180)
        XCTAssertNotNil(done, "the resumed session did not finish a turn: \(chat.lines.suffix(8))")
        XCTAssertEqual(chat.quit(), 0)
        let after = try await ledgerRows(harness, session: sessionIDValue)
        XCTAssertGreaterThan(after.count, before)
        XCTAssertEqual(Set(after.map(\.id)).count, after.count)
        XCTAssertTrue(after.contains { $0.kind == .agent && $0.outcome == .ok }, "no completed agent run recorded")
    }

    // MARK: Unwritable data

    /// Makes `paths` immutable (root ignores permission bits; `chattr +i` stops it) until the test ends.
    private func makeImmutable(_ paths: [String]) throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root for chattr +i") }
        for path in paths {
            let (status, output) = TestResources.run("/usr/bin/env", ["chattr", "+i", path])
            XCTAssertEqual(status, 0, "chattr +i \(path): \(output)")
            addTeardownBlock { TestResources.run("/usr/bin/env", ["chattr", "-i", path]) }
        }
    }

    private func releaseImmutable(_ paths: [String]) {
        for path in paths { TestResources.run("/usr/bin/env", ["chattr", "-i", path]) }
    }

    func testReadOnlyDataFolderGivesAClearErrorAndTheChatGoesOn() async throws {
        let harness = try ChatHarness()
        let chat = try HeadlessChatProcess(harness, arguments: [])
        XCTAssertNotNil(chat.wait(for: "# session ", timeout: 60))
        chat.send("Say hi.")
        XCTAssertNotNil(chat.wait(for: "# turn 1 done", timeout: 90), "\(chat.lines.suffix(5))")
        let session = try XCTUnwrap(HeadlessChatProcess.session(chat.lines)).id

        let data = harness.home.appendingPathComponent("data/tokenworks")
        let frozen = [data.path, harness.sessionsDirectory.path, harness.ledgerPath, harness.ledgerPath + "-wal"]
            .filter { FileManager.default.fileExists(atPath: $0) }
        try makeImmutable(frozen)
        chat.send("Name a colour.")
        let lines = try XCTUnwrap(chat.wait(for: "# turn 2 done", timeout: 90), "the chat stopped: \(chat.lines.suffix(5))")
        let turn2 = lines.drop { !$0.hasPrefix("# turn 1 done") }
        XCTAssertTrue(turn2.contains { $0.hasPrefix("# notice: ledger:") && $0.contains("is read-only") },
                      "no ledger error saying read-only: \(Array(turn2))")
        XCTAssertTrue(turn2.contains { $0.contains("cannot save the session") },
                      "no session error shown: \(Array(turn2))")
        XCTAssertGreaterThan(turn2.filter { !$0.hasPrefix("#") && !$0.hasPrefix("[") && !$0.isEmpty }.count, 0,
                             "the second turn got no reply")

        releaseImmutable(frozen)
        chat.send("Say bye.")
        XCTAssertNotNil(chat.wait(for: "# turn 3 done", timeout: 90))
        XCTAssertEqual(chat.quit(), 0)
        let rows = try await ledgerRows(harness, session: session)
        XCTAssertEqual(rows.count, 2, "turns 1 and 3 are recorded, turn 2 could not be")
    }

    func testFullDiskGivesAClearErrorAndNothingEarlierIsLost() async throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to mount a small tmpfs") }
        let harness = try ChatHarness()
        let data = harness.home.appendingPathComponent("data")
        let (status, output) = TestResources.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", data.path])
        guard status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(output)") }
        addTeardownBlock { TestResources.run("/usr/bin/env", ["umount", "-l", data.path]) }

        let chat = try HeadlessChatProcess(harness, arguments: [])
        XCTAssertNotNil(chat.wait(for: "# session ", timeout: 60))
        chat.send("Say hi.")
        XCTAssertNotNil(chat.wait(for: "# turn 1 done", timeout: 90), "\(chat.lines.suffix(5))")
        let session = try XCTUnwrap(HeadlessChatProcess.session(chat.lines)).id
        let sessionFile = harness.sessionsDirectory.appendingPathComponent(session + ".json")
        let savedAfterTurn1 = try Data(contentsOf: sessionFile)

        // Fill the disk to the last byte.
        let filler = data.appendingPathComponent("filler")
        XCTAssertTrue(FileManager.default.createFile(atPath: filler.path, contents: nil))
        let handle = try FileHandle(forWritingTo: filler)
        let block = Data(repeating: 0x55, count: 64 * 1024)
        var size = block.count
        while (try? handle.write(contentsOf: block)) != nil {}
        while size > 1 {
            size /= 2
            while (try? handle.write(contentsOf: block.prefix(size))) != nil {}
        }
        try? handle.close()

        chat.send("Name a colour.")
        let lines = try XCTUnwrap(chat.wait(for: "# turn 2 done", timeout: 90), "the chat stopped: \(chat.lines.suffix(5))")
        let turn2 = Array(lines.drop { !$0.hasPrefix("# turn 1 done") })
        XCTAssertTrue(turn2.contains { $0.hasPrefix("# notice:") && ($0.contains("full") || $0.contains("space")) },
                      "no disk-full error shown: \(turn2)")
        XCTAssertEqual(try Data(contentsOf: sessionFile), savedAfterTurn1, "the saved session was damaged")

        try FileManager.default.removeItem(at: filler)
        chat.send("Say bye.")
        XCTAssertNotNil(chat.wait(for: "# turn 3 done", timeout: 90))
        XCTAssertEqual(chat.quit(), 0)
        let rows = try await ledgerRows(harness, session: session)
        XCTAssertGreaterThanOrEqual(rows.count, 2, "turn 1 and turn 3 are recorded")
        let resumed = try HeadlessChatProcess(harness, arguments: ["--resume", session])
        let reopened = try XCTUnwrap(resumed.wait(for: "# session ", timeout: 60))
        XCTAssertEqual(HeadlessChatProcess.session(reopened)?.id, session)
        XCTAssertGreaterThanOrEqual(HeadlessChatProcess.session(reopened)?.entries ?? 0, 6,
                                    "three questions and three replies")
        XCTAssertEqual(resumed.quit(), 0)
    }
}
