// JSON Schema `pattern` and `format` as grammars: the grammar accepts a JSON string exactly when Python's `re`
// (what `jsonschema` runs) finds the pattern in its text; formats agree with jsonschema's format checker; and
// regex features a grammar cannot express fail with the schema path and the column.
import Foundation
import Inference
import TestSupport
import XCTest

final class JSONSchemaPatternTests: XCTestCase {
    private func grammar(pattern: String) throws -> Grammar {
        let quoted = String(decoding: try JSONEncoder().encode(pattern), as: UTF8.self)
        return try JSONSchemaGrammar.grammar(schemaJSON: #"{"type":"string","pattern":"# + quoted + "}")
    }

    private func schemaError(_ schema: String) -> String? {
        do {
            _ = try JSONSchemaGrammar.grammar(schemaJSON: schema)
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func patternError(_ pattern: String) -> String? {
        do {
            _ = try grammar(pattern: pattern)
            return nil
        } catch {
            return "\(error)"
        }
    }

    private struct Verdict: Decodable {
        var key: String
        var text: String
        var json: String
        var valid: Bool
    }

    /// Runs `code` (Python, a function `verdict(key, text) -> bool`) over the cases; returns each case with its
    /// JSON spelling from `json.dumps` and the verdict.
    private func python(_ code: String, _ cases: [(key: String, texts: [String])], file: StaticString = #filePath,
                        line: UInt = #line) throws -> [Verdict] {
        let input = try JSONSerialization.data(withJSONObject: cases.map { [$0.key, $0.texts] as [Any] })
        let script = code + """

            import json, sys
            out = []
            for key, texts in json.loads(sys.stdin.read()):
                for t in texts:
                    out.append({"key": key, "text": t, "json": json.dumps(t, ensure_ascii=False),
                                "valid": bool(verdict(key, t))})
            print(json.dumps(out))
            """
        let (status, output) = TestResources.python(script, stdin: String(decoding: input, as: UTF8.self))
        XCTAssertEqual(status, 0, output, file: file, line: line)
        return try JSONDecoder().decode([Verdict].self, from: Data(output.utf8))
    }

    // MARK: - Patterns against Python's re

    func testPatternsAgreeWithPythonRe() throws {
        let cases: [(key: String, texts: [String])] = [
            ("^[a-z]+$", ["abc", "", "aBc", "a1", "zz"]),
            (#"^\d{3}-\d{4}$"#, ["555-1234", "5551234", "555-123", "555-12345", "a55-1234"]),
            ("b+", ["abbc", "b", "ac", "", "bbb"]),
            ("^ab", ["abc", "ab", "xab", "a"]),
            ("cd$", ["abcd", "cd", "cde", "c"]),
            ("^a|b$", ["a", "ax", "xb", "xbx", "b", "xa"]),
            ("^(?:foo|bar)+$", ["foo", "foobar", "barfoo", "fo", "foob", ""]),
            ("^(ab|cd){2,3}$", ["abab", "abcdab", "ab", "abababab", "cdcdcd"]),
            ("^x{3}$", ["xxx", "xx", "xxxx"]),
            ("^x{2,}$", ["x", "xx", "xxxxxx"]),
            ("^[^0-9]*$", ["abc", "", "a1", "-_ ", "é😀"]),
            (#"^\w+@\w+\.com$"#, ["joe@example.com", "joe@example.org", "@x.com", "a_b@c.com"]),
            ("^[A-Fa-f0-9]{2}(:[A-Fa-f0-9]{2}){2}$", ["aa:BB:0f", "aa:bb", "gg:00:11"]),
            (#"^-?\d+(\.\d+)?$"#, ["1", "-1.5", "1.", ".5", "--1", "12.34"]),
            (#"^[\w.+-]+$"#, ["a.b+c-d_e", "a b", ""]),
            ("^a.c$", ["abc", "a c", "a\nc", "ac", "a\"c", "a😀c"]),
            (#"^a\.c$"#, ["a.c", "abc"]),
            (#"^[\]\[]+$"#, ["[]", "][", "a"]),
            ("^a*?b+?$", ["b", "aab", "a", "abb"]),
            ("^(a?){2,20}$", ["", "a", "aaaaa", "b", String(repeating: "a", count: 21)]),
            ("^(a*b*)*$", ["", "abab", "bba", "c"]),
            ("^[-a]+$", ["-a-", "b"]),
            ("^[a-]+$", ["a-", "-", "b"]),
            (#"^\x41\u0042$"#, ["AB", "ab"]),
            (#"^\t\s\S$"#, ["\t x", "\tx", "\t\t\t", "\t\n\n"]),
            (#"^"[^"\\]*"$"#, [#""hi""#, #""h\"i""#, "hi", #""""#]),
            (#"^[\\/]+$"#, [#"\/"#, "a", "\\"]),
            (#"^\W\D$"#, ["!a", "a!", "!!", "\"\\"]),
            ("", ["", "anything"]),
            ("^$", ["", "x"]),
            (#"^(?:\d+|x)?$"#, ["", "12", "x", "x1"]),
            ("^a{0}b$", ["b", "ab"]),
            (#"^[^\s]+$"#, ["abc", "a b", ""]),
            (#"^\{\}$"#, ["{}", "{"]),
            ("^a{b}$", ["a{b}", "ab"]),
            ("^(a|ab)(c|bcd)(d*)$", ["abcd", "abcdd", "ac", "abd"]),
            ("^[à-ÿ]{2}$", ["éè", "ee", "é"]),
            ("^.$", ["😀", "ab", "é", ""]),
            (#"^[^a]\n$"#, ["\u{1}\n", "a\n", "\"\n", "\\\n"]),
            ("(?<year>[0-9]{4})-(?:0[1-9]|1[0-2])", ["on 2024-05-01", "2024-13", "x"]),
        ]
        // ECMA-262 named groups are `(?<name>…)`; Python spells them `(?P<name>…)`.
        let verdicts = try python("""
            import re
            def verdict(pattern, text):
                return re.search(pattern.replace("(?<", "(?P<"), text) is not None
            """, cases)
        XCTAssertEqual(verdicts.count, cases.reduce(0) { $0 + $1.texts.count })
        var grammars: [String: Grammar] = [:]
        for v in verdicts {
            if grammars[v.key] == nil { grammars[v.key] = try grammar(pattern: v.key) }
            XCTAssertEqual(grammars[v.key]?.matches(v.json), v.valid, "pattern \(v.key) on \(v.json)")
        }
    }

    func testUnanchoredPatternsMatchAnywhereInTheString() throws {
        let g = try grammar(pattern: "[0-9]{2}")
        for doc in [#""12""#, #""a12""#, #""12b""#, #""x 99 y""#] { XCTAssertTrue(g.matches(doc), doc) }
        for doc in [#""1""#, #""a1b2""#, #""""#] { XCTAssertFalse(g.matches(doc), doc) }
    }

    func testOpenPatternsStayLinearOnLongStrings() throws {
        // Both sides open: the recognizer must not keep one stack per position where the match could start.
        let g = try grammar(pattern: "x[0-9]")
        let text = "\"" + String(repeating: "ab x", count: 2_000) + "x7" + String(repeating: "é-", count: 2_000) + "\""
        let start = Date()
        XCTAssertTrue(g.matches(text))
        XCTAssertFalse(g.matches(text.replacingOccurrences(of: "x7", with: "x_")))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testCharactersThePatternAdmitsAreWrittenJSONEscaped() throws {
        let g = try grammar(pattern: #"^[a"\\]+$"#)
        XCTAssertTrue(g.matches(#""a\"\\""#))
        XCTAssertFalse(g.matches(#""a"\\""#), "a raw quote would end the string")
        XCTAssertFalse(g.matches(#""a\"\""#), "a lone backslash is not JSON")
        let controls = try grammar(pattern: "^[^x]$")
        XCTAssertTrue(controls.matches(#""\n""#))
        XCTAssertTrue(controls.matches(#""\u0001""#))
        XCTAssertFalse(controls.matches("\"\n\""), "raw control characters are not JSON")
    }

    func testDotMatchesNoLineTerminators() throws {
        let g = try grammar(pattern: "^a.b$")
        XCTAssertTrue(g.matches(#""a\tb""#))
        for doc in [#""a\nb""#, #""a\rb""#, "\"a\u{2028}b\"", "\"a\u{2029}b\""] { XCTAssertFalse(g.matches(doc), doc) }
    }

    func testSurrogatePairEscapesAreOneCharacter() throws {
        let g = try grammar(pattern: #"^\uD83D\uDE00$"#)
        XCTAssertTrue(g.matches("\"😀\""))
        XCTAssertFalse(g.matches(#""\ud83d\ude00""#))
    }

    func testPatternWithoutTypeIsAString() throws {
        let g = try JSONSchemaGrammar.grammar(schemaJSON: #"{"pattern":"^a+$"}"#)
        XCTAssertTrue(g.matches(#""aa""#))
        XCTAssertFalse(g.matches("1"))
    }

    func testPatternInsideLengthBoundsIsAccepted() throws {
        let g = try JSONSchemaGrammar.grammar(
            schemaJSON: #"{"type":"string","pattern":"^[a-z]{1,80}$","minLength":1,"maxLength":80}"#)
        XCTAssertTrue(g.matches(#""abc""#))
        XCTAssertFalse(g.matches(#""""#))
    }

    // MARK: - Formats against jsonschema's format checker

    func testDateFormatIsExactAboutDaysAndLeapYears() throws {
        var texts: [String] = []
        for year in ["0000", "0001", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "2100", "9999"] {
            for month in 0...13 {
                for day in [0, 1, 9, 10, 19, 20, 28, 29, 30, 31, 32] {
                    texts.append(year + "-" + String(format: "%02d-%02d", month, day))
                }
            }
        }
        texts += ["2024-1-01", "2024-01-1", "20240101", "2024-01-01 ", "x2024-01-01", "2024/01/01"]
        try checkFormat("date", texts)
    }

    func testTimeFormatNeedsAZone() throws {
        try checkFormat("time", [
            "00:00:00Z", "23:59:59Z", "24:00:00Z", "12:60:00Z", "12:00:60Z", "12:34:56", "12:34:56.5Z",
            "12:34:56.123456789+05:30", "12:34:56-23:59", "12:34:56+24:00", "12:34:56.Z", "1:02:03Z", "12:34Z",
        ])
    }

    func testDateTimeFormat() throws {
        try checkFormat("date-time", [
            "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2024-04-31T00:00:00Z", "2024-12-31T23:59:59.999+01:00",
            "2024-12-31 23:59:59Z", "2024-12-31T23:59:59", "0000-01-01T00:00:00Z",
        ])
    }

    func testUUIDFormat() throws {
        try checkFormat("uuid", [
            "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
            "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400", "g23e4567-e89b-12d3-a456-426614174000",
        ])
    }

    func testFormatsWriteUpperCaseSeparatorsAndAtMostNineFractionDigits() throws {
        // Stricter than validators on purpose: one spelling for a model to follow.
        let g = try JSONSchemaGrammar.grammar(schemaJSON: #"{"type":"string","format":"date-time"}"#)
        XCTAssertFalse(g.matches(#""2024-01-01t00:00:00z""#))
        XCTAssertFalse(g.matches(#""2024-01-01T00:00:00.1234567890Z""#))
    }

    private func checkFormat(_ format: String, _ texts: [String], file: StaticString = #filePath,
                             line: UInt = #line) throws {
        let verdicts = try python("""
            import jsonschema
            checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
            def verdict(format, text):
                return checker.conforms(text, format)
            """, [(format, texts)], file: file, line: line)
        XCTAssertEqual(verdicts.count, texts.count, file: file, line: line)
        let g = try JSONSchemaGrammar.grammar(schemaJSON: #"{"type":"string","format":"\#(format)"}"#)
        for v in verdicts {
            XCTAssertEqual(g.matches(v.json), v.valid, "\(format) \(v.json)", file: file, line: line)
        }
    }

    // MARK: - Errors, with their exact text

    func testLookaheadIsRefusedWithPathAndColumn() {
        XCTAssertEqual(schemaError(#"{"properties":{"code":{"type":"string","pattern":"^(?=a)b"}}}"#),
                       #"regex in 'pattern' at $.properties.code, column 2 of "^(?=a)b": lookahead '(?=' is not "#
                       + "supported in constrained decoding; rewrite the pattern without it or remove 'pattern'")
    }

    func testBackreferenceIsRefused() {
        XCTAssertEqual(patternError(#"^(a)\1$"#),
                       #"regex in 'pattern' at $, column 5 of "^(a)\\1$": backreference '\1' is not supported in "#
                       + "constrained decoding; rewrite the pattern without it or remove 'pattern'")
    }

    func testOtherUnsupportedFeaturesNameThemselves() {
        let expectations: [(String, String)] = [
            (#"a\bc"#, #"column 2 of "a\\bc": word boundary '\b'"#),
            ("(?<!x)y", #"column 1 of "(?<!x)y": negative lookbehind '(?<!'"#),
            ("a^b", #"column 2 of "a^b": anchor '^' inside the pattern"#),
            ("(a$)", #"column 3 of "(a$)": anchor '$' inside the pattern"#),
            (#"\p{L}"#, #"column 1 of "\\p{L}": Unicode property escape '\p'"#),
            ("(?i)a", #"column 1 of "(?i)a": inline flags or an unknown group '(?i'"#),
        ]
        for (pattern, expected) in expectations {
            let message = patternError(pattern) ?? "no error"
            XCTAssertTrue(message.contains(expected), "\(pattern): \(message)")
        }
    }

    func testMalformedPatternsSayWhatIsWrong() {
        XCTAssertEqual(patternError("^(ab"),
                       #"invalid regex in 'pattern' at $, column 5 of "^(ab": missing ')' for the '(' at column 2; "#
                       + "fix the pattern")
        let expectations: [(String, String)] = [
            ("ab)", "column 3 of \"ab)\": unbalanced ')'"),
            ("[a-z", "column 5 of \"[a-z\": missing ']' for the '[' at column 1"),
            ("*a", "column 1 of \"*a\": nothing to repeat before '*'"),
            ("[z-a]", "column 4 of \"[z-a]\": the range 'z-a' is out of order"),
            ("a{3,2}", "column 2 of \"a{3,2}\": the counts in '{3,2}' are out of order"),
            ("a{200000}", "column 2 of \"a{200000}\": a count in '{…}' is above 100000"),
            (#"\x4"#, #"column 1 of "\\x4": '\x' must be followed by two hex digits"#),
        ]
        for (pattern, expected) in expectations {
            let message = patternError(pattern) ?? "no error"
            XCTAssertTrue(message.hasPrefix("invalid regex in 'pattern' at $, " + expected), "\(pattern): \(message)")
        }
    }

    func testUnsupportedFormatIsAnError() {
        XCTAssertEqual(schemaError(#"{"type":"string","format":"email"}"#),
                       "string format 'email' at $ is not supported (only date, time, date-time, uuid are); remove "
                       + "'format' or give a 'pattern' instead")
    }

    func testPatternOutsideTheLengthBoundsIsAnError() {
        XCTAssertEqual(schemaError(#"{"type":"string","pattern":"^[a-z]+$","maxLength":80}"#),
                       "invalid JSON schema at $: the pattern allows strings of 1 or more characters, outside "
                       + "minLength 0 / maxLength 80, and a grammar cannot enforce both; bound the pattern itself "
                       + "(e.g. '^[a-z]{1,80}$') and drop the length keywords")
    }
}
