// The test harness's process runner: it returns when the program ends even if a process it left behind keeps
// the output open (where Foundation's Process waited forever on tmux's server), and kills at the deadline.
import Foundation
import TestSupport
import XCTest

final class ChildProcessTests: XCTestCase {
    func testAProgramsOutputAndStatusComeBack() {
        let r = ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], timeout: 20)
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.output, "out\nerr\n")
        XCTAssertFalse(r.timedOut)
    }

    func testStandardInputAndDirectoryReachTheProgram() {
        let r = ChildProcess.run("/bin/sh", ["-c", "pwd; cat"], stdin: "typed",
                                 directory: URL(fileURLWithPath: "/tmp"), timeout: 20)
        XCTAssertEqual(r.output, "/tmp\ntyped")
    }

    func testAProcessLeftHoldingTheOutputDoesNotHoldTheWait() {
        let started = Date()
        let r = ChildProcess.run("/bin/sh", ["-c", "sleep 3 & echo started"], timeout: 20)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.output, "started\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "returned when the shell ended, not the sleep")
    }

    func testTheDeadlineKillsAndSaysSo() {
        let started = Date()
        let r = ChildProcess.run("/bin/sh", ["-c", "echo begun; exec sleep 30"], timeout: 0.5)
        XCTAssertTrue(r.timedOut)
        XCTAssertEqual(r.status, 128 + SIGKILL)
        XCTAssertEqual(r.output, "begun\n", "what it wrote before the deadline is kept")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}
