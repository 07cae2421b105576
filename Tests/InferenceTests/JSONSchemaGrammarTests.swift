// JSON Schema → Grammar, keyword by keyword: documents valid against the schema are accepted byte for byte,
// invalid ones are rejected, and unsupported keywords fail loudly with their JSON path.
import Foundation
import Inference
import XCTest

final class JSONSchemaGrammarTests: XCTestCase {
    private func grammar(_ schema: String, _ options: JSONSchemaGrammar.Options = .init()) throws -> Grammar {
        try JSONSchemaGrammar.grammar(schemaJSON: schema, options: options)
    }

    private func assertAccepts(_ g: Grammar, _ docs: [String], file: StaticString = #filePath, line: UInt = #line) {
        for d in docs { XCTAssertTrue(g.matches(d), "should accept \(d)", file: file, line: line) }
    }

    private func assertRejects(_ g: Grammar, _ docs: [String], file: StaticString = #filePath, line: UInt = #line) {
        for d in docs { XCTAssertFalse(g.matches(d), "should reject \(d)", file: file, line: line) }
    }

    private func schemaError(_ schema: String) -> String? {
        do {
            _ = try grammar(schema)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testObjectPropertiesComeInSchemaOrder() throws {
        let g = try grammar(#"{"type":"object","properties":{"b":{"type":"integer"},"a":{"type":"boolean"}},"required":["b","a"]}"#)
        assertAccepts(g, [#"{"b":1,"a":true}"#, #"{ "b": 1, "a": false }"#])
        assertRejects(g, [#"{"a":true,"b":1}"#, #"{"b":1}"#, #"{"b":1,"a":true,"c":1}"#])
    }

    func testOptionalPropertiesMayBeLeftOutInAnyCombination() throws {
        let g = try grammar(#"{"properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"}},"required":["b"]}"#)
        assertAccepts(g, [#"{"b":2}"#, #"{"a":1,"b":2}"#, #"{"b":2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#])
        assertRejects(g, [#"{}"#, #"{"a":1}"#, #"{"a":1,"c":3}"#, #"{,"b":2}"#, #"{"b":2,}"#])
    }

    func testAllOptionalPropertiesAllowTheEmptyObject() throws {
        let g = try grammar(#"{"type":"object","properties":{"x":{"type":"null"},"y":{"type":"null"}}}"#)
        assertAccepts(g, ["{}", #"{"y":null}"#, #"{"x":null,"y":null}"#])
        assertRejects(g, [#"{"y":null,"x":null}"#, #"{,}"#])
    }

    func testAdditionalPropertiesAreOffUnlessGiven() throws {
        let closed = try grammar(#"{"type":"object"}"#)
        assertAccepts(closed, ["{}"])
        assertRejects(closed, [#"{"k":1}"#])
        let open = try grammar(#"{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"],"additionalProperties":{"type":"string"}}"#)
        assertAccepts(open, [#"{"id":1}"#, #"{"id":1,"k":"v","z":""}"#])
        assertRejects(open, [#"{"id":1,"k":2}"#, #"{"k":"v"}"#])
    }

    func testStringsAllowEscapesAndRejectRawControlCharacters() throws {
        let g = try grammar(#"{"type":"string"}"#)
        assertAccepts(g, [#""""#, #""a b é 😀""#, #""\"\\\/\b\f\n\r\t\u00e9""#])
        assertRejects(g, ["\"a\nb\"", #""\x""#, #""\u12""#, #""open"#, "\"tab\there\""])
    }

    func testStringsAreBoundedByTheLengthGuard() throws {
        let g = try grammar(#"{"type":"string"}"#, .init(maxStringLength: 40))
        assertAccepts(g, ["\"" + String(repeating: "é", count: 40) + "\""])
        assertRejects(g, ["\"" + String(repeating: "é", count: 41) + "\""])
    }

    func testStringMinAndMaxLengthCountCharacters() throws {
        let g = try grammar(#"{"type":"string","minLength":2,"maxLength":3}"#)
        assertAccepts(g, [#""ab""#, #""日本語""#, #""a\n""#])
        assertRejects(g, [#""a""#, #""abcd""#])
    }

    func testStringEnumAndConst() throws {
        let e = try grammar(#"{"type":"string","enum":["read_file","calculator"]}"#)
        assertAccepts(e, [#""read_file""#, #""calculator""#])
        assertRejects(e, [#""read""#, #""write_file""#, "read_file"])
        let c = try grammar(#"{"const":"x\"y"}"#)
        assertAccepts(c, [#""x\"y""#])
    }

    func testEnumAndConstOfAnyJSONValue() throws {
        let g = try grammar(#"{"enum":[1.50,null,{"a":[true]},"s"]}"#)
        assertAccepts(g, ["1.50", "null", #"{"a":[true]}"#, #""s""#])
        assertRejects(g, ["1.5", #"{"a":[false]}"#, "true"])
    }

    func testNumbers() throws {
        let g = try grammar(#"{"type":"number"}"#)
        assertAccepts(g, ["0", "-0", "12", "-3.25", "1e10", "6.02E+23", "1.5e-3"])
        assertRejects(g, ["01", "1.", ".5", "+1", "1e", "--1", "NaN", "1" + String(repeating: "0", count: 16)])
    }

    func testIntegers() throws {
        let g = try grammar(#"{"type":"integer"}"#)
        assertAccepts(g, ["0", "-7", "123456"])
        assertRejects(g, ["1.0", "01", "-", "1e3"])
    }

    func testIntegerMinimumAndMaximum() throws {
        let g = try grammar(#"{"type":"integer","minimum":-15,"maximum":237}"#)
        for n in -40...300 {
            XCTAssertEqual(g.matches(String(n)), (-15...237).contains(n), "\(n)")
        }
        assertRejects(g, ["-0", "007"])
    }

    func testIntegerExclusiveBoundsAndOneSidedRanges() throws {
        let g = try grammar(#"{"type":"integer","exclusiveMinimum":99}"#)
        assertAccepts(g, ["100", "101", "999", "1000", "123456789"])
        assertRejects(g, ["99", "0", "-5", "98"])
        let h = try grammar(#"{"type":"integer","maximum":-10}"#)
        assertAccepts(h, ["-10", "-11", "-100000"])
        assertRejects(h, ["-9", "0", "5"])
    }

    func testBooleanAndNull() throws {
        let g = try grammar(#"{"type":["boolean","null"]}"#)
        assertAccepts(g, ["true", "false", "null"])
        assertRejects(g, ["True", "0", #""null""#])
    }

    func testNullableTypes() throws {
        let g = try grammar(#"{"type":["integer","null"],"minimum":0,"maximum":12}"#)
        assertAccepts(g, ["null", "0", "12"])
        assertRejects(g, ["13", "-1"])
        let openAPI = try grammar(#"{"type":"string","nullable":true}"#)
        assertAccepts(openAPI, ["null", #""x""#])
    }

    func testArraysWithItemsAndBounds() throws {
        let g = try grammar(#"{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":3}"#)
        assertAccepts(g, ["[1]", "[1,2]", "[1, 2, 3]", "[ 1 ]"])
        assertRejects(g, ["[]", "[1,2,3,4]", #"["a"]"#, "[1,]"])
        let any = try grammar(#"{"type":"array"}"#)
        assertAccepts(any, ["[]", #"[1,"a",{"k":[null]},true]"#])
    }

    func testAnyOfAndOneOf() throws {
        let g = try grammar(#"{"anyOf":[{"type":"integer"},{"type":"string","maxLength":1}]}"#)
        assertAccepts(g, ["5", #""a""#])
        assertRejects(g, [#""ab""#, "true"])
        let o = try grammar(#"{"oneOf":[{"const":1},{"const":2}]}"#)
        assertAccepts(o, ["1", "2"])
        assertRejects(o, ["3"])
    }

    func testReferencesToDefsAndRecursion() throws {
        let g = try grammar("""
            {"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},
            "kids":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["v"]}}}
            """)
        assertAccepts(g, [#"{"v":1}"#, #"{"v":1,"kids":[{"v":2},{"v":3,"kids":[]}]}"#])
        assertRejects(g, [#"{"v":1,"kids":[{"w":2}]}"#])
        let legacy = try grammar(##"{"definitions":{"n":{"type":"null"}},"properties":{"a":{"$ref":"#/definitions/n"}},"required":["a"]}"##)
        assertAccepts(legacy, [#"{"a":null}"#])
    }

    func testWhitespaceIsAtMostOneSpace() throws {
        let g = try grammar(#"{"type":"object","properties":{"a":{"type":"array","items":{"type":"integer"}}},"required":["a"]}"#)
        assertAccepts(g, [#"{"a":[1,2]}"#, #"{ "a": [ 1, 2 ] }"#])
        assertRejects(g, [#"{  "a":[1]}"#, "{\n\"a\":[1]}", #"{"a" :[1]}"#, #"{"a":[1 ,2]}"#])
    }

    func testToolCallSchemaBindsArgumentsToTheirTool() throws {
        let g = try grammar(try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/grammar/tool-call.schema.json"),
                                        encoding: .utf8))
        assertAccepts(g, [#"{"name":"read_file","arguments":{"path":"/etc/hosts"}}"#,
                          #"{"name": "read_file", "arguments": {"path": "a.txt", "max_lines": 20}}"#,
                          #"{"name":"calculator","arguments":{"expression":"2+2","precision":null}}"#])
        assertRejects(g, [#"{"name":"read_file","arguments":{"expression":"2+2"}}"#,
                          #"{"name":"read_file","arguments":{"path":""}}"#,
                          #"{"name":"read_file","arguments":{"path":"a","max_lines":0}}"#,
                          #"{"name":"delete_all","arguments":{}}"#])
    }

    func testToolCallSchemaHelperBuildsOneAlternativePerTool() throws {
        let params = try OrderedJSON.parse(#"{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}"#)
        let noArguments = try OrderedJSON.parse(#"{"type":"object"}"#)
        let schema = JSONSchemaGrammar.toolCallSchema(tools: [("search", params), ("noop", noArguments)])
        let g = try JSONSchemaGrammar.grammar(schema: schema)
        assertAccepts(g, [#"{"name":"search","arguments":{"q":"x"}}"#, #"{"name":"noop","arguments":{}}"#])
        assertRejects(g, [#"{"name":"noop","arguments":{"q":"x"}}"#])
    }

    // MARK: - Errors, with their exact text

    func testUnsupportedKeywordNamesKeywordAndPath() {
        XCTAssertEqual(schemaError(#"{"type":"object","properties":{"n":{"type":"integer","multipleOf":5}}}"#),
                       "JSON schema keyword 'multipleOf' at $.properties.n is not supported; remove it or pass a "
                       + "GBNF grammar (--grammar) instead")
    }

    func testNumberBoundsAreReportedAsUnsupported() {
        XCTAssertEqual(schemaError(#"{"items":{"type":"number","minimum":0}}"#),
                       "JSON schema keyword 'minimum' at $.items is not supported; remove it or pass a GBNF "
                       + "grammar (--grammar) instead")
    }

    func testUnresolvableReference() {
        XCTAssertEqual(schemaError(#"{"anyOf":[{"$ref":"other.json#/x"}]}"#),
                       "$ref 'other.json#/x' at $.anyOf[0] cannot be resolved; only '#/$defs/NAME' and "
                       + "'#/definitions/NAME' inside the same schema are supported")
    }

    func testInvalidSchemaJSONNamesLineAndColumn() {
        XCTAssertEqual(schemaError("{\"type\":\n  \"string\",}"),
                       "schema JSON line 2, column 12: expected a quoted member name")
    }

    func testImpossibleIntegerRange() {
        XCTAssertEqual(schemaError(#"{"type":"integer","minimum":5,"maximum":1}"#),
                       "invalid JSON schema at $: minimum 5 is above maximum 1: no integer fits")
    }
}
