// A script's inputs get their values from --var, standard input, files and defaults, converted to their type;
// missing and mistyped values are refused with the input's place in the script.
import Agents
import Foundation
import XCTest

final class ScriptInputsTests: XCTestCase {
    private let yaml = """
        inputs:
          topic: B-trees
          count: {type: number, default: 2}
          text: {stdin: true}
          notes: {file: notes.txt}
          tags: {type: list, default: []}
        steps:
          - prompt: "{{ topic }}"
        """

    private func resolve(_ given: [String: String], stdin: String? = "piped",
                         in dir: TemporaryDirectory) throws -> [String: JSON] {
        let script = try loadScript(yaml, in: dir)
        return try ScriptInputs.resolve(script, given: given.mapValues { .string($0) },
                                        standardInput: stdin.map { text in { text } }, workingDirectory: dir.url)
    }

    func testDefaultsStdinAndFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("notes.txt", "remember")
        let values = try resolve([:], in: dir)
        XCTAssertEqual(values["topic"], "B-trees")
        XCTAssertEqual(values["count"], 2)
        XCTAssertEqual(values["text"], "piped")
        XCTAssertEqual(values["notes"], "remember")
        XCTAssertEqual(values["tags"], [])
    }

    func testVarsOverrideAndAreConverted() throws {
        let dir = try TemporaryDirectory()
        try dir.write("other.txt", "other notes")
        try dir.write("notes.txt", "remember")
        let values = try resolve(["count": "5", "text": "given", "notes": "other.txt", "tags": "a, b"], in: dir)
        XCTAssertEqual(values["count"], 5)
        XCTAssertEqual(values["text"], "given")
        XCTAssertEqual(values["notes"], "other notes", "--var names another file")
        XCTAssertEqual(values["tags"], ["a", "b"])
    }

    func testMistypedVarIsRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("notes.txt", "")
        XCTAssertEqual(scriptError { try resolve(["count": "many"], in: dir) }?.description,
                       "script.yaml:3:3: input 'count' must be a number, found 'many'")
    }

    func testMissingStdinInputSaysHowToGiveIt() throws {
        let dir = try TemporaryDirectory()
        try dir.write("notes.txt", "")
        XCTAssertEqual(scriptError { try resolve([:], stdin: nil, in: dir) }?.description,
                       "script.yaml:4:3: input 'text' has no value: pass --var text=VALUE or pipe it on standard input")
    }

    func testUnknownVarListsTheInputs() throws {
        let dir = try TemporaryDirectory()
        XCTAssertEqual(scriptError { try resolve(["topik": "x"], in: dir) }?.description,
                       "--var topik: script.yaml has no input 'topik'; its inputs: topic, count, text, notes, tags")
    }

    func testMissingFile() throws {
        let dir = try TemporaryDirectory()
        XCTAssertEqual(scriptError { try resolve([:], in: dir) }?.description,
                       "script.yaml:5:3: input 'notes': cannot read notes.txt: no such file")
    }

    func testVariablesAreNameEqualsValue() throws {
        XCTAssertEqual(try ScriptInputs.parse(variables: ["a=1", "b=x=y"]), ["a": "1", "b": "x=y"])
        XCTAssertEqual(scriptError { try ScriptInputs.parse(variables: ["novalue"]) }?.description,
                       "--var 'novalue' is not NAME=VALUE")
    }
}
