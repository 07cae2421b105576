// read_file, write_file, edit_file, list_dir, search_text and calculator on real files.
import Agents
import Foundation
import XCTest

final class FileToolsTests: XCTestCase {
    private func call(_ tool: any Tool, _ arguments: JSON, in dir: TemporaryDirectory) async throws -> ToolResult {
        try await tool.run(ToolArguments(tool: tool.name, object: arguments.objectValue ?? JSONObject()),
                           context: try dir.context())
    }

    func testReadFileReturnsTheText() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("facts.txt", "The capital of Freedonia is Fredville.\n")
        let result = try await call(ReadFileTool(), ["path": "facts.txt"], in: dir)
        XCTAssertEqual(result.output, "The capital of Freedonia is Fredville.\n")
        XCTAssertFalse(result.isError)
    }

    func testReadFileMarksTruncation() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("big.txt", String(repeating: "x", count: 50))
        let result = try await call(ReadFileTool(limit: 10), ["path": "big.txt"], in: dir)
        XCTAssertEqual(result.output, "xxxxxxxxxx\n[… truncated: 'big.txt' is 50 bytes, only the first 10 are shown]")
    }

    func testReadFileCutInsideACharacterStillShowsText() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("accents.txt", "ééééé")  // 10 bytes
        let result = try await call(ReadFileTool(limit: 5), ["path": "accents.txt"], in: dir)
        XCTAssertTrue(result.output.hasPrefix("éé\n[… truncated"))
    }

    func testReadFileRefusesBinary() async throws {
        let dir = try TemporaryDirectory()
        try Data([0xff, 0xfe, 0x00, 0x80]).write(to: dir.url.appendingPathComponent("blob.bin"))
        let result = try await call(ReadFileTool(), ["path": "blob.bin"], in: dir)
        XCTAssertTrue(result.isError)
        XCTAssertEqual(result.output, "'blob.bin' is a binary file (4 bytes); it cannot be shown as text")
    }

    func testMissingArgumentIsNamed() async throws {
        let dir = try TemporaryDirectory()
        let error = await agentsError { try await self.call(ReadFileTool(), [:], in: dir) }
        XCTAssertEqual(error?.description, "read_file: argument 'path' is required")
    }

    func testWriteThenEdit() async throws {
        let dir = try TemporaryDirectory()
        let wrote = try await call(WriteFileTool(), ["path": "src/main.txt", "content": "hello world\n"], in: dir)
        XCTAssertEqual(wrote.output, "created 'src/main.txt' (12 bytes)")
        let edited = try await call(EditFileTool(), ["path": "src/main.txt", "old_text": "world", "new_text": "there"],
                                    in: dir)
        XCTAssertEqual(edited.output, "replaced 1 occurrence in 'src/main.txt'")
        XCTAssertEqual(try dir.read("src/main.txt"), "hello there\n")
    }

    func testEditRefusesAmbiguousAndAbsentText() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.txt", "one one two")
        let twice = await agentsError {
            try await self.call(EditFileTool(), ["path": "a.txt", "old_text": "one", "new_text": "1"], in: dir)
        }
        XCTAssertEqual(twice, .editMismatch(path: "a.txt", occurrences: 2))
        let absent = await agentsError {
            try await self.call(EditFileTool(), ["path": "a.txt", "old_text": "three", "new_text": "3"], in: dir)
        }
        XCTAssertEqual(absent?.description, "edit_file: the text to replace does not occur in 'a.txt'; read the file "
                       + "and copy the exact text")
        XCTAssertEqual(try dir.read("a.txt"), "one one two")
    }

    func testListDir() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("docs/readme.md", "hi")
        try dir.write("a.txt", "abc")
        let result = try await call(ListDirTool(), ["path": "."], in: dir)
        XCTAssertEqual(result.output, "a.txt (3 bytes)\ndocs/")
    }

    func testSearchTextLiteralByDefault() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.swift", "let x = f(1)\nlet y = 2\n")
        try dir.write("sub/b.swift", "print(f(1))\n")
        let result = try await call(SearchTextTool(), ["pattern": "f(1)"], in: dir)
        XCTAssertEqual(result.output, "a.swift:1: let x = f(1)\nsub/b.swift:1: print(f(1))")
    }

    func testSearchTextRegexAndIgnoreCase() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("log.txt", "ERROR 42\nok\nerror 7\n")
        let result = try await call(SearchTextTool(), ["pattern": "error [0-9]+", "regex": true, "ignore_case": true],
                                    in: dir)
        XCTAssertEqual(result.output, "log.txt:1: ERROR 42\nlog.txt:3: error 7")
    }

    func testSearchTextCapsMatches() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("many.txt", String(repeating: "hit\n", count: 10))
        let result = try await call(SearchTextTool(maxMatches: 3), ["pattern": "hit"], in: dir)
        XCTAssertEqual(result.output.split(separator: "\n").count, 4)
        XCTAssertTrue(result.output.hasSuffix("[… truncated: more than 3 matches; narrow the search]"))
    }

    func testSearchTextInvalidRegex() async throws {
        let dir = try TemporaryDirectory()
        let error = await agentsError {
            try await self.call(SearchTextTool(), ["pattern": "(", "regex": true], in: dir)
        }
        guard case .invalidPattern(let pattern, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(pattern, "(")
    }

    func testCalculatorTool() async throws {
        let dir = try TemporaryDirectory()
        let sum = try await call(CalculatorTool(), ["expression": "(17 + 5) * 3"], in: dir)
        XCTAssertEqual(sum.output, "66")
        let number = try await call(CalculatorTool(), ["expression": 12], in: dir)
        XCTAssertEqual(number.output, "12")
    }

    func testFileToolsRefuseEscapes() async throws {
        let dir = try TemporaryDirectory()
        let error = await agentsError { try await self.call(ListDirTool(), ["path": "../"], in: dir) }
        XCTAssertEqual(error, .pathEscapes(path: "../", reason: "'..' is not allowed"))
    }
}
