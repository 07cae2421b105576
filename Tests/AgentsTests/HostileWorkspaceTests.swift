// Hostile file-system tricks against the workspace: device files, huge and sparse files, and symbolic links
// swapped in between check and use by a concurrent thread (the openat/O_NOFOLLOW discipline must hold).
import Agents
import Foundation
import TestSupport
import XCTest

final class HostileWorkspaceTests: XCTestCase {
    func testDeviceFilesAreRefusedForReadingAndWriting() throws {
        let dev = try Workspace(root: "/dev")
        for name in ["zero", "null", "urandom"] {
            XCTAssertEqual(agentsError { try dev.read(name) },
                           .specialFileRefused(path: name, kind: "device file"), name)
        }
        XCTAssertEqual(agentsError { try dev.write("null", bytes: Array("x".utf8)) }?.description,
                       "path 'null' refused: it is a device file, not a regular file")
        XCTAssertEqual(try dev.list("").first { $0.name == "zero" }?.kind, .other)
    }

    func testHugeSparseFileIsReadOnlyUpToTheCap() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("huge.log", "start")
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 16 << 30)  // 16 GiB, sparse: no disk used
        try handle.close()
        let clock = ContinuousClock()
        let start = clock.now
        let contents = try dir.workspace().read("huge.log")
        XCTAssertEqual(contents.bytes.count, Workspace.defaultReadLimit)
        XCTAssertTrue(contents.truncated)
        XCTAssertEqual(contents.size, 16 << 30)
        XCTAssertEqual(Array(contents.bytes.prefix(5)), Array("start".utf8))
        let asked = try dir.workspace().read("huge.log", limit: Int.max / 2)
        XCTAssertLessThanOrEqual(asked.bytes.count, Workspace.maximumReadLimit, "a caller's huge limit is capped too")
        XCTAssertLessThan(clock.now - start, HangLimit.seconds(5))
    }

    func testReadFileToolOnAHugeFileAnswersWithTheCappedStart() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("huge.txt", String(repeating: "line of text\n", count: 10))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 4 << 30)
        try handle.close()
        let result = try await ReadFileTool().run(
            ToolArguments(tool: "read_file", object: JSONObject([("path", .string("huge.txt"))])), context: try dir.context())
        XCTAssertTrue(result.output.hasPrefix("line of text\n"), String(result.output.prefix(80)))
        XCTAssertLessThan(result.output.utf8.count, 300 * 1024)
    }

    /// Runs `swap` on another thread as fast as it can while `body` runs, then stops it.
    private func whileSwapping(_ swap: @escaping @Sendable () -> Void, _ body: () throws -> Void) rethrows {
        let stop = Stop()
        let thread = Thread {
            while !stop.isSet { swap() }
            stop.finished()
        }
        thread.start()
        defer { stop.set(); stop.waitFinished() }
        try body()
    }

    func testDirectorySwappedForALinkDuringReadsNeverReadsOutside() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("secret/f.txt", "SECRET")
        try dir.write("real/f.txt", "inside")
        let workspace = try dir.workspace()
        let real = dir.url.appendingPathComponent("real").path
        let parked = dir.url.appendingPathComponent("parked").path
        let link = dir.url.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside.url.appendingPathComponent("secret").path)
        let d = dir.url.appendingPathComponent("d").path
        rename(real, d)
        // Flip `d` between the real directory and the link to the outside, atomically each time.
        whileSwapping({
            rename(d, parked); rename(link, d)  // d → link
            rename(d, link); rename(parked, d)  // d → real
        }) {
            // Any refusal is legitimate while the name flips (it is a link, or missing between the two renames);
            // what must never happen is a read of the outside file, or a refusal that does not name the path.
            var inside = 0, refused = 0, unexpected: [String] = []
            for _ in 0..<3000 {
                do throws(AgentsError) {
                    let text = String(decoding: try workspace.read("d/f.txt").bytes, as: UTF8.self)
                    XCTAssertEqual(text, "inside", "read through a swapped-in link")
                    inside += 1
                } catch {
                    refused += 1
                    switch error {
                    case .symlinkRefused(path: "d/f.txt", component: "d"), .notFound(path: "d", nearby: _): break
                    default: unexpected.append(error.description)
                    }
                }
            }
            XCTAssertEqual(inside + refused, 3000)
            XCTAssertEqual(unexpected, [], "refusals other than 'd is a link' or 'd is missing'")
        }
    }

    func testFileSwappedForALinkDuringWritesNeverWritesOutside() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        let target = try outside.write("target.txt", "untouched")
        try dir.write("f.txt", "inside")
        let workspace = try dir.workspace()
        let f = dir.url.appendingPathComponent("f.txt").path
        let parked = dir.url.appendingPathComponent("parked.txt").path
        let link = dir.url.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        whileSwapping({
            rename(f, parked); rename(link, f)
            rename(f, link); rename(parked, f)
        }) {
            for i in 0..<1000 {
                do {
                    try workspace.write("f.txt", bytes: Array("write \(i)".utf8))
                } catch {
                    switch error as? AgentsError {
                    case .symlinkRefused?, .ioFailed?: break
                    default: XCTFail("unexpected \(error)")
                    }
                }
                _ = try? workspace.read("f.txt")
            }
        }
        // A write renames its temporary file over the name, so a link swapped in is replaced, never followed.
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "untouched")
    }
}

/// A flag and a completion signal shared with the swapping thread.
private final class Stop: @unchecked Sendable {
    private let lock = NSCondition()
    private var flag = false
    private var done = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func set() { lock.lock(); flag = true; lock.unlock() }
    func finished() { lock.lock(); done = true; lock.broadcast(); lock.unlock() }
    func waitFinished() { lock.lock(); while !done { lock.wait() }; lock.unlock() }
}
