// Pins the messages for files that cannot be opened or written.
import Foundation
import GGUF
import XCTest

final class FileErrorMessageTests: XCTestCase {
    func testMissingFileSaysSoAndWhatToCheck() {
        XCTAssertThrowsError(try GGUFFile(path: "/nonexistent/model.gguf")) {
            XCTAssertEqual("\($0)", "cannot open GGUF file /nonexistent/model.gguf: No such file or directory. "
                           + "Check the path and its permissions.")
        }
    }

    func testDirectoryIsNotAModel() {
        XCTAssertThrowsError(try GGUFFile(path: FileManager.default.temporaryDirectory.path)) {
            XCTAssertEqual($0 as? GGUFError, .cannotOpen(path: FileManager.default.temporaryDirectory.path,
                                                         reason: "not a regular file"))
        }
    }

    func testEmptyFileIsTruncated() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).gguf")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try GGUFFile(path: url.path)) {
            XCTAssertEqual($0 as? GGUFError, .truncated(what: "the file magic", offset: 0, needed: 4, available: 0))
        }
    }

    func testWritingIntoAMissingDirectoryNamesThePath() {
        XCTAssertThrowsError(try GGUFWriter().write(to: "/nonexistent/dir/out.gguf")) {
            XCTAssertEqual("\($0)", "cannot write GGUF file /nonexistent/dir/out.gguf: No such file or directory. "
                           + "Check the directory exists, is writable and has space.")
        }
    }
}
