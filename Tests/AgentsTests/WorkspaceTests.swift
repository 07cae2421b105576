// The workspace boundary: every way a path could leave the root is refused, reads are capped, writes are atomic.
import Agents
import Foundation
import XCTest

final class WorkspaceTests: XCTestCase {
    func testReadsAFileByRelativePath() throws {
        let dir = try TemporaryDirectory()
        try dir.write("notes/todo.txt", "buy milk\n")
        let contents = try dir.workspace().read("notes/todo.txt")
        XCTAssertEqual(String(decoding: contents.bytes, as: UTF8.self), "buy milk\n")
        XCTAssertFalse(contents.truncated)
        XCTAssertEqual(contents.size, 9)
    }

    func testDotComponentsAndDoubleSlashesAreHarmless() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a/b.txt", "x")
        XCTAssertEqual(try dir.workspace().read("./a//./b.txt").bytes, [UInt8(ascii: "x")])
    }

    func testDotDotIsRefusedEvenWhenItStaysInside() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a/b.txt", "x")
        let error = agentsError { try dir.workspace().read("a/../a/b.txt") }
        XCTAssertEqual(error, .pathEscapes(path: "a/../a/b.txt", reason: "'..' is not allowed"))
        XCTAssertEqual(error?.description,
                       "path 'a/../a/b.txt' refused: '..' is not allowed; use a relative path inside the workspace")
    }

    func testAbsolutePathIsRefused() throws {
        let dir = try TemporaryDirectory()
        let error = agentsError { try dir.workspace().read("/etc/passwd") }
        XCTAssertEqual(error, .pathEscapes(path: "/etc/passwd", reason: "absolute paths are not allowed"))
    }

    func testSymlinkToAFileOutsideIsRefused() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("secret.txt", "secret")
        try dir.symlink("link.txt", to: outside.url.appendingPathComponent("secret.txt").path)
        let error = agentsError { try dir.workspace().read("link.txt") }
        XCTAssertEqual(error, .symlinkRefused(path: "link.txt", component: "link.txt"))
        XCTAssertEqual(error?.description, "path 'link.txt' refused: 'link.txt' is a symbolic link, and links are "
                       + "not followed inside the workspace; use the real path")
    }

    func testSymlinkedDirectoryInTheMiddleIsRefused() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("secret.txt", "secret")
        try dir.symlink("docs", to: outside.path)
        let error = agentsError { try dir.workspace().read("docs/secret.txt") }
        XCTAssertEqual(error, .symlinkRefused(path: "docs/secret.txt", component: "docs"))
    }

    func testSymlinkPointingInsideIsStillRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("real.txt", "x")
        try dir.symlink("alias.txt", to: "real.txt")
        XCTAssertEqual(agentsError { try dir.workspace().read("alias.txt") },
                       .symlinkRefused(path: "alias.txt", component: "alias.txt"))
    }

    /// A directory that was fine when the workspace opened is swapped for a link to the outside: the next
    /// resolution sees the link and refuses, because names are never looked up through links.
    func testDirectorySwappedForASymlinkAfterOpeningIsRefused() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("data/secret.txt", "secret")
        try dir.write("data/secret.txt", "public")
        let workspace = try dir.workspace()
        XCTAssertEqual(String(decoding: try workspace.read("data/secret.txt").bytes, as: UTF8.self), "public")
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("data"))
        try dir.symlink("data", to: outside.url.appendingPathComponent("data").path)
        XCTAssertEqual(agentsError { try workspace.read("data/secret.txt") },
                       .symlinkRefused(path: "data/secret.txt", component: "data"))
        XCTAssertEqual(agentsError { try workspace.write("data/secret.txt", bytes: Array("pwned".utf8)) },
                       .symlinkRefused(path: "data/secret.txt", component: "data"))
        XCTAssertEqual(try outside.read("data/secret.txt"), "secret")
    }

    func testWritingThroughASymlinkedFileIsRefusedAndTheTargetIsUntouched() throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("target.txt", "original")
        try dir.symlink("out.txt", to: outside.url.appendingPathComponent("target.txt").path)
        XCTAssertEqual(agentsError { try dir.workspace().write("out.txt", bytes: Array("new".utf8)) },
                       .symlinkRefused(path: "out.txt", component: "out.txt"))
        XCTAssertEqual(try outside.read("target.txt"), "original")
    }

    func testFIFOIsRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        XCTAssertEqual(mkfifo(dir.url.appendingPathComponent("pipe").path, 0o644), 0)
        XCTAssertEqual(agentsError { try dir.workspace().read("pipe") },
                       .specialFileRefused(path: "pipe", kind: "FIFO (named pipe)"))
    }

    func testReadIsCappedAndMarkedTruncated() throws {
        let dir = try TemporaryDirectory()
        try dir.write("big.txt", String(repeating: "a", count: 1000))
        let contents = try dir.workspace().read("big.txt", limit: 100)
        XCTAssertEqual(contents.bytes.count, 100)
        XCTAssertTrue(contents.truncated)
        XCTAssertEqual(contents.size, 1000)
    }

    func testReadOfExactlyTheCapIsNotTruncated() throws {
        let dir = try TemporaryDirectory()
        try dir.write("exact.txt", String(repeating: "a", count: 100))
        XCTAssertFalse(try dir.workspace().read("exact.txt", limit: 100).truncated)
    }

    func testMissingFileSaysSo() throws {
        let dir = try TemporaryDirectory()
        XCTAssertEqual(agentsError { try dir.workspace().read("nope/file.txt") }, .notFound(path: "nope"))
        XCTAssertEqual(agentsError { try dir.workspace().read("file.txt") }, .notFound(path: "file.txt"))
    }

    func testReadingADirectoryIsAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.mkdir("sub")
        XCTAssertEqual(agentsError { try dir.workspace().read("sub") }, .isADirectory(path: "sub"))
    }

    func testWriteCreatesParentsAndReplacesAtomically() throws {
        let dir = try TemporaryDirectory()
        let workspace = try dir.workspace()
        XCTAssertTrue(try workspace.write("out/deep/file.txt", bytes: Array("one".utf8)))
        XCTAssertFalse(try workspace.write("out/deep/file.txt", bytes: Array("two".utf8)))
        XCTAssertEqual(try dir.read("out/deep/file.txt"), "two")
        // No temporary files are left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("out/deep").path),
                       ["file.txt"])
    }

    func testWriteKeepsTheFilesPermissions() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("run.sh", "echo hi")
        XCTAssertEqual(chmod(file.path, 0o755), 0)
        try dir.workspace().write("run.sh", bytes: Array("echo bye".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o755)
    }

    func testListShowsKindsSortedAndDoesNotFollowLinks() throws {
        let dir = try TemporaryDirectory()
        try dir.write("b.txt", "12345")
        try dir.mkdir("a")
        try dir.symlink("c", to: "/etc")
        let entries = try dir.workspace().list(".")
        XCTAssertEqual(entries.map(\.name), ["a", "b.txt", "c"])
        XCTAssertEqual(entries.map(\.kind), [.directory, .file, .symlink])
        XCTAssertEqual(entries[1].size, 5)
    }

    func testFilesWalkSkipsLinksAndVersionControl() throws {
        let dir = try TemporaryDirectory()
        try dir.write("src/a.swift", "")
        try dir.write("src/inner/b.swift", "")
        try dir.write(".git/config", "")
        try dir.write("top.txt", "")
        try dir.symlink("src/loop", to: "..")
        let (paths, truncated) = try dir.workspace().files(under: ".", limit: 100)
        XCTAssertEqual(paths, ["top.txt", "src/a.swift", "src/inner/b.swift"])
        XCTAssertFalse(truncated)
        XCTAssertEqual(try dir.workspace().files(under: ".", limit: 2).truncated, true)
    }
}
