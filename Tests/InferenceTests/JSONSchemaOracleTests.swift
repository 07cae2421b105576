// Every document the schema grammar can produce is valid for an independent validator: random byte-level walks
// through the grammar are checked with Python's `jsonschema` (Draft 2020-12), the reference implementation.
import Foundation
import Inference
import TestSupport
import XCTest

final class JSONSchemaOracleTests: XCTestCase {
    /// Random complete documents of `grammar`: each step picks uniformly among the bytes the grammar allows
    /// (a 256-token byte vocabulary gives them as a mask), and stops with some chance once it may end.
    private func randomDocuments(_ grammar: Grammar, count: Int, seed: UInt64) -> [String] {
        let end = TokenID(256)
        let bytes = GrammarVocabulary(pieces: (0..<256).map { [UInt8($0)] } + [[]], endOfGeneration: [end])
        var random = SeededBytes(seed: seed)
        var docs: [String] = []
        var mask = TokenMask(count: 0)
        while docs.count < count {
            var m = GrammarMatcher(grammar: grammar, vocabulary: bytes)
            var out: [UInt8] = []
            while true {
                m.allowedTokens(into: &mask)
                let allowed = mask.tokens
                if allowed.contains(end) && (allowed.count == 1 || random.next() % 4 == 0) { break }
                let choices = allowed.filter { $0 != end }
                guard !choices.isEmpty else { break }
                let b = choices[Int(random.next() % UInt64(choices.count))]
                XCTAssertTrue(m.accept(b))
                out.append(UInt8(b))
            }
            XCTAssertTrue(m.canEnd)
            docs.append(String(decoding: out, as: UTF8.self))
        }
        return docs
    }

    /// Checks every document with `jsonschema`, formats included (`date`, `time`, … are checked, not annotations).
    private func validate(_ docs: [String], schema: String, file: StaticString = #filePath, line: UInt = #line) {
        let script = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.loads(sys.argv[1]),
                                                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            bad = 0
            for line in sys.stdin.read().split("\\n"):
                if not line: continue
                errors = list(validator.iter_errors(json.loads(line)))
                if errors:
                    bad += 1
                    print("INVALID", line, "--", errors[0].message)
            print("checked", bad)
            """
        let (status, output) = TestResources.python(script, arguments: [schema], stdin: docs.joined(separator: "\n"))
        XCTAssertEqual(status, 0, output, file: file, line: line)
        XCTAssertTrue(output.hasSuffix("checked 0\n"), output, file: file, line: line)
    }

    private func check(_ schema: String, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        let g = try JSONSchemaGrammar.grammar(schemaJSON: schema,
                                              options: .init(maxStringLength: 6, maxIntegerDigits: 4))
        validate(randomDocuments(g, count: 40, seed: seed), schema: schema, file: file, line: line)
    }

    func testToolCallDocumentsValidate() throws {
        let schema = try String(contentsOf: TestResources.fixture("grammar/tool-call.schema.json"), encoding: .utf8)
        try check(schema, seed: 1)
    }

    func testObjectsWithOptionalAndAdditionalPropertiesValidate() throws {
        try check(#"""
            {"type":"object","properties":{"a":{"type":"integer","minimum":-20,"maximum":300},
             "b":{"type":["string","null"],"minLength":1,"maxLength":3},"c":{"enum":[1,"x",[true],null]}},
             "required":["b"],"additionalProperties":{"type":"boolean"}}
            """#, seed: 2)
    }

    func testArraysNumbersAndReferencesValidate() throws {
        try check(#"""
            {"type":"array","minItems":1,"maxItems":4,"items":{"$ref":"#/$defs/item"},
             "$defs":{"item":{"anyOf":[{"type":"number"},{"type":"array","maxItems":2,"items":{"$ref":"#/$defs/item"}},
                                       {"type":"object","properties":{"k":{"const":{"z":[1,2]}}}}]}}}
            """#, seed: 3)
    }

    func testUnconstrainedValuesValidateAgainstTheEmptySchema() throws {
        try check("{}", seed: 4)
    }

    func testPatternDocumentsValidate() throws {
        // Anchored and half-open patterns (a random walk rarely ends a string open at both sides), quotes and backslashes that must be escaped in JSON, nullable repetitions.
        try check(#"""
            {"type":"object","properties":{
             "code":{"type":"string","pattern":"^[A-Z]{2}-[0-9]{3,5}$"},
             "tag":{"pattern":"^x[0-9]"},
             "quoted":{"type":"string","pattern":"^(?:\"|\\\\|\\n|[a-c]){1,6}$"},
             "either":{"type":"string","pattern":"^ab|^c[de]$"},
             "maybe":{"type":"string","pattern":"^(?:a?b?){2,30}$"},
             "dot":{"type":"string","pattern":"^.[^a-z]?\\.$"}},
             "required":["code","tag","quoted","either","maybe","dot"]}
            """#, seed: 5)
    }

    func testFormatDocumentsValidate() throws {
        try check(#"""
            {"type":"object","properties":{"d":{"format":"date"},"t":{"type":"string","format":"time"},
             "dt":{"type":"string","format":"date-time"},"u":{"type":"string","format":"uuid"}},
             "required":["d","t","dt","u"]}
            """#, seed: 6)
    }
}
