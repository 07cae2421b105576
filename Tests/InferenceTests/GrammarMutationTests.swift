// Thousands of corrupted JSON schemas and GBNF grammars (fixed seed): each compiles (and then matches text
// without hanging) or is refused with a GrammarError naming the line and column, the schema path or the rule.
import Foundation
import Inference
import TestSupport
import XCTest

final class GrammarMutationTests: XCTestCase {
    static let schemaSeeds = [
        (try? TestResources.repositoryText("Tests/Fixtures/grammar/tool-call.schema.json")) ?? "{}",
        #"{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer", "minimum": -5, "maximum": 300}, "minItems": 1, "maxItems": 4}, "b": {"enum": ["x", 1, null, true]}, "c": {"type": ["string", "null"], "minLength": 2, "maxLength": 8}}, "required": ["a"], "additionalProperties": false}"#,
        ##"{"$ref": "#/$defs/node", "$defs": {"node": {"type": "object", "properties": {"v": {"type": "number"}, "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["v"]}}}"##,
        #"{"oneOf": [{"const": {"k": [1, 2.5e3, "s"]}}, {"type": "boolean"}, {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}], "description": "é \u00e9"}"#,
    ]

    static let schemaDictionary = [
        "{", "}", "[", "]", "\"", ":", ",", "\"type\": ", "\"object\"", "\"array\"", "\"string\"", "\"integer\"",
        "\"number\"", "\"null\"", "\"properties\": {", "\"items\": ", "\"required\": [", "\"enum\": [", "\"const\": ",
        "\"anyOf\": [", "\"allOf\": [", "\"$ref\": \"#/$defs/node\"", "\"$defs\": {", "\"minimum\": ", "\"maximum\": ",
        "\"minLength\": ", "\"maxLength\": ", "\"minItems\": ", "\"maxItems\": ", "\"pattern\": \"^a+$\"",
        "\"additionalProperties\": ", "true", "false", "null", "-", "1e9", "100001", "\\u", "\\", "\u{0}",
    ]

    static let gbnfSeeds = [
        (try? TestResources.repositoryText("Tests/Fixtures/grammar/json.gbnf")) ?? "root ::= \"x\"",
        """
        root   ::= call | answer
        call   ::= "{\\"tool\\": " name ", \\"arguments\\": " args "}"
        name   ::= "\\"" [a-z_]{1,20} "\\""
        args   ::= "{" ( pair ( ", " pair )* )? "}"
        pair   ::= "\\"" [^"\\\\]* "\\": " ( [0-9]+ | "true" | "false" | "null" )
        answer ::= "{\\"answer\\": \\"" ( [^"\\\\\\x00-\\x1f] | "\\\\" [nt"] )+ "\\"}"  # comment
        """,
        "root ::= (\"a\" | [b-d]? \"e\"{2,3} | [^\\n\\u00e9-\\U0001F600])* x\nx ::= \"\" | \"z\" x\n",
    ]

    static let gbnfDictionary = [
        "::=", " ::= ", "|", "(", ")", "[", "]", "^", "-", "*", "+", "?", "{", "}", "{0,", "{99999}", "{100001}",
        ",", "\"", "\\", "\\x", "\\u", "\\U", "\n", " ", "#", "root", "x", "root ::= root", "x ::= x \"a\"",
        "\u{0}", "é",
    ]

    /// Where the refusal names the place: a line and column, a JSON path, or a rule.
    static func located(_ error: GrammarError) -> Bool {
        switch error {
        case .syntax(let line, let column, _), .duplicateRule(_, let line, let column),
             .invalidJSON(let line, let column, _):
            return line >= 1 && column >= 1
        case .undefinedRule(let name, _, _): return !name.isEmpty
        case .missingRoot(let name), .leftRecursion(let name), .repetitionTooLarge(let name, _),
             .grammarTooLarge(let name, _):
            return !name.isEmpty
        case .unsupportedSchemaKeyword(_, let path), .invalidSchema(let path, _), .unresolvedReference(_, let path):
            return path.hasPrefix("$")
        case .invalidPattern(let path, _, let column, _), .unsupportedPattern(let path, _, let column, _):
            return path.hasPrefix("$") && column >= 1
        case .unsupportedFormat(_, let path):
            return path.hasPrefix("$")
        }
    }

    /// Texts a compiled grammar is run over, to make sure matching terminates.
    static let probes = [#"{"tool": "read_file", "arguments": {"path": "a"}}"#, #"{"a": [1, 2], "b": null}"#,
                         "aeee", #"{"v": 1, "kids": [{"v": 2}]}"#, String(repeating: "a", count: 2000), ""]

    func testMutatedSchemasCompileOrNameThePath() {
        let mutator = TextMutator(seeds: Self.schemaSeeds, dictionary: Self.schemaDictionary)
        let report = mutator.run(count: 3000, seed: 0x5C4E) { json in
            do {
                let grammar = try JSONSchemaGrammar.grammar(schemaJSON: json)
                for probe in Self.probes { _ = grammar.matches(probe) }
                return .accepted
            } catch let error as GrammarError {
                return .refused(message: error.description, located: Self.located(error))
            } catch {
                return .refused(message: "not a GrammarError: \(error)", located: false)
            }
        }
        XCTAssertTrue(report.unlocated.isEmpty, "refusals without a place: \(report.unlocated)")
        XCTAssertGreaterThan(report.refused, 1000)
        XCTAssertGreaterThan(report.accepted, 20, "byte-level mutations rarely leave JSON valid")
        XCTAssertLessThan(report.slowest, HangLimit.seconds(2), "slowest input: \(report.slowestInput)")
    }

    /// Values a schema node is replaced with, or a keyword is given, by the structural mutations.
    nonisolated(unsafe) static let schemaValues: [Any] = [
        [String: Any](), [Any](), "x", "", -1, 0, 1, 16, 17, 1e9, 100_001, 1.5, NSNull(), true, false,
        ["type": "array"], ["type": "string", "maxLength": 3], ["type": ["integer", "null"], "minimum": 2],
        ["$ref": "#/$defs/node"], ["$ref": "#/$defs/missing"], ["enum": []], ["anyOf": [["type": "null"]]],
        ["type": "object", "properties": ["a": ["type": "boolean"]], "required": ["a", "b"]],
        ["minItems": 5, "maxItems": 2, "items": ["type": "number"]], ["const": ["deep": [1, [2, [3]]]]],
    ]
    static let schemaKeywords = ["type", "properties", "items", "required", "enum", "const", "anyOf", "oneOf",
                                 "allOf", "$ref", "$defs", "minimum", "maximum", "exclusiveMinimum",
                                 "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "pattern",
                                 "format", "additionalProperties", "prefixItems", "description", "default"]

    /// `value` with one node replaced, one keyword added or one key removed, somewhere inside.
    static func mutateStructure(_ value: Any, _ random: inout MutationRandom, depth: Int = 0) -> Any {
        let pick = { (random: inout MutationRandom) -> Any in schemaValues[random.next(below: schemaValues.count)] }
        if var object = value as? [String: Any] {
            let keys = object.keys.sorted()
            switch random.next(below: 4) {
            case 0 where depth > 0: return pick(&random)
            case 1: object[schemaKeywords[random.next(below: schemaKeywords.count)]] = pick(&random)
            case 2 where !keys.isEmpty: object[keys[random.next(below: keys.count)]] = nil
            default:
                guard !keys.isEmpty else { return object }
                let key = keys[random.next(below: keys.count)]
                object[key] = mutateStructure(object[key] as Any, &random, depth: depth + 1)
            }
            return object
        }
        if var array = value as? [Any], !array.isEmpty, random.next(below: 3) > 0 {
            let index = random.next(below: array.count)
            array[index] = mutateStructure(array[index], &random, depth: depth + 1)
            return array
        }
        return pick(&random)
    }

    func testStructurallyMutatedSchemasCompileOrNameThePath() throws {
        let seeds = try Self.schemaSeeds.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
        var random = MutationRandom(seed: 0x57C7)
        var accepted = 0, refused = 0
        let clock = ContinuousClock()
        var slowest = Duration.zero
        for round in 0..<2000 {
            var value = seeds[round % seeds.count]
            for _ in 0...random.next(below: 3) { value = Self.mutateStructure(value, &random) }
            let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            let json = String(decoding: data, as: UTF8.self)
            let start = clock.now
            do {
                let grammar = try JSONSchemaGrammar.grammar(schemaJSON: json)
                for probe in Self.probes { _ = grammar.matches(probe) }
                accepted += 1
            } catch {
                refused += 1
                XCTAssertTrue(Self.located(error), "\(error) for \(json)")
            }
            slowest = max(slowest, clock.now - start)
        }
        XCTAssertGreaterThan(accepted, 300)
        XCTAssertGreaterThan(refused, 300)
        XCTAssertLessThan(slowest, HangLimit.seconds(2))
    }

    func testSeedsCompileUnmutated() {
        for seed in Self.schemaSeeds { XCTAssertNoThrow(try JSONSchemaGrammar.grammar(schemaJSON: seed), seed) }
        for seed in Self.gbnfSeeds { XCTAssertNoThrow(try Grammar(gbnf: seed), seed) }
    }

    func testMutatedGBNFCompilesOrNamesTheLine() {
        let mutator = TextMutator(seeds: Self.gbnfSeeds, dictionary: Self.gbnfDictionary)
        let report = mutator.run(count: 3000, seed: 0x6B4F) { text in
            do {
                let grammar = try Grammar(gbnf: text)
                for probe in Self.probes { _ = grammar.matches(probe) }
                return .accepted
            } catch let error as GrammarError {
                return .refused(message: error.description, located: Self.located(error))
            } catch {
                return .refused(message: "not a GrammarError: \(error)", located: false)
            }
        }
        XCTAssertTrue(report.unlocated.isEmpty, "refusals without a place: \(report.unlocated)")
        XCTAssertGreaterThan(report.refused, 1000)
        XCTAssertGreaterThan(report.accepted, 200)
        XCTAssertLessThan(report.slowest, HangLimit.seconds(2), "slowest input: \(report.slowestInput)")
    }

    func testNestedRepetitionsThatMultiplyAreRefusedQuickly() {
        let clock = ContinuousClock()
        let start = clock.now
        let nested = "root ::= " + String(repeating: "(", count: 6) + "\"a\"?" + String(repeating: "){0,16}", count: 6)
        XCTAssertThrowsError(try Grammar(gbnf: nested)) { error in
            XCTAssertEqual(error as? GrammarError, .grammarTooLarge(rule: "root", states: 200_000))
        }
        let nullable = "root ::= (\"\" | \"a\"){0,99999} \"b\"{0,99999}"
        _ = try? Grammar(gbnf: nullable)
        XCTAssertLessThan(clock.now - start, HangLimit.seconds(5))
    }

    /// Found by the gbnf fuzz target (over 100 s): a rule recursing inside a starred group, followed by a nullable
    /// right-recursive rule, matched against long texts — states grew by a deeper stack per byte. Bounded now
    /// (GrammarStateTable.maxClosureFrames): short texts still match, the 2,000-byte one is refused quickly.
    func testRecursionInsideARepetitionIsMatchedInBoundedTime() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let grammar = try Grammar(gbnf: "root ::= (\"a\" | [b-d]? \"e\"{2,3} | [^600]root)* x\nx ::= \"\" | \"z\" x\n")
        XCTAssertTrue(grammar.matches("aeeaz"))
        XCTAssertTrue(grammar.matches(String(repeating: "a", count: 40) + "zz"))
        XCTAssertFalse(grammar.matches("a6"))
        for probe in Self.probes { _ = grammar.matches(probe) }
        XCTAssertLessThan(clock.now - start, HangLimit.seconds(5))
    }

    func testDeeplyNestedSchemaIsRefusedWithALocation() {
        let deep = String(repeating: #"{"type": "array", "items": "#, count: 20_000) + "{}" + String(repeating: "}", count: 20_000)
        XCTAssertThrowsError(try JSONSchemaGrammar.grammar(schemaJSON: deep)) { error in
            guard let error = error as? GrammarError else { return XCTFail("\(error)") }
            XCTAssertTrue(Self.located(error), error.description)
        }
        let parens = "root ::= " + String(repeating: "(", count: 100_000) + "\"a\"" + String(repeating: ")", count: 100_000)
        XCTAssertThrowsError(try Grammar(gbnf: parens)) { error in
            guard let error = error as? GrammarError else { return XCTFail("\(error)") }
            XCTAssertTrue(Self.located(error), error.description)
        }
    }
}
