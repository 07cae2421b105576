// Jinja literals, operators and Python's printing of values.
// Expected strings were rendered once by Python jinja2 3.1.6 in transformers' environment
// (TemplateOracle.script in ConformanceTests) and pasted here.
import Jinja
import XCTest

final class ExpressionTests: XCTestCase {
    func testIntegerAndFloatArithmetic() throws {
        XCTAssertEqual(
            try render("{{ 7 + 3 }} {{ 7 - 10 }} {{ 2 * 3.5 }} {{ 7 / 2 }} {{ 8 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 2 ** -2 }}"),
            "10 -3 7.0 3.5 4.0 3 -4 1 2 1024 0.25")
    }

    func testFloatsPrintLikePythonRepr() throws {
        XCTAssertEqual(
            try render("{{ 1.0 }} {{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 1e-5 }} {{ 0.0001 }} {{ -0.0 }} {{ 3.14159 }}"),
            "1.0 0.30000000000000004 1e+16 1000000000000000.0 1e-05 0.0001 -0.0 3.14159")
    }

    func testConstantsPrintLikePython() throws {
        XCTAssertEqual(
            try render("{{ true }} {{ false }} {{ none }} {{ True }} {{ None }}"),
            "True False None True None")
    }

    func testListsDictsAndTuplesPrintLikePythonRepr() throws {
        XCTAssertEqual(
            try render("{{ [1, 'a', none, true, 1.5] }} {{ {'k': \"it's\", 'n': [1]} }} {{ (1,) }} {{ (1, 'b') }} {{ () }}"),
            "[1, 'a', None, True, 1.5] {'k': \"it's\", 'n': [1]} (1,) (1, 'b') ()")
    }

    func testStringEscapesFollowPython() throws {
        XCTAssertEqual(
            try render("{{ 'tab\\there' }}|{{ \"quote\\\"s\" }}|{{ '\\x41\\u00e9\\U0001F600' }}|{{ 'back\\\\slash' }}|{{ '\\d' }}"),
            "tab\there|quote\"s|Aé😀|back\\slash|\\d")
    }

    func testAdjacentStringLiteralsConcatenate() throws {
        XCTAssertEqual(try render("{{ 'a' 'b' \"c\" }}"), "abc")
    }

    func testTildeConcatenatesStrings() throws {
        XCTAssertEqual(try render("{{ 'n=' ~ 1 ~ none ~ [1] }}"), "n=1None[1]")
    }

    func testPlusConcatenatesStringsAndLists() throws {
        XCTAssertEqual(try render("{{ 'a' + 'b' }} {{ [1] + [2] }}"), "ab [1, 2]")
    }

    func testStringRepetition() throws {
        XCTAssertEqual(try render("{{ 'ab' * 3 }}{{ 2 * 'c' }}"), "abababcc")
    }

    func testComparisonsChain() throws {
        XCTAssertEqual(
            try render("{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'b' }} {{ [1, 2] < [1, 3] }}"),
            "True False True True True True")
    }

    func testMembershipTests() throws {
        XCTAssertEqual(
            try render("{{ 'b' in 'abc' }} {{ 2 in items }} {{ 'name' in user }} {{ 'zip' not in user }} {{ 5 in items }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "True True True True False")
    }

    func testAndOrReturnOperands() throws {
        XCTAssertEqual(
            try render("{{ 0 or 'fallback' }} {{ 'first' and 'second' }} {{ none and 1 }} {{ not none }}"),
            "fallback second None True")
    }

    func testConditionalExpression() throws {
        XCTAssertEqual(
            try render("{{ 'yes' if items else 'no' }} {{ 'yes' if none else 'no' }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "yes no")
    }

    func testConditionalWithoutElseIsUndefined() throws {
        XCTAssertEqual(try render("[{{ 'x' if false }}]"), "[]")
    }

    func testAttributeAndSubscriptAccess() throws {
        XCTAssertEqual(
            try render("{{ user.name }} {{ user['age'] }} {{ user.tags[1] }} {{ user.tags.0 }} {{ items[-1] }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "Ada 36 y x 2")
    }

    func testSlicesFollowPython() throws {
        XCTAssertEqual(
            try render("{{ text[:5] }}|{{ text[6:] }}|{{ text[::-1] }}|{{ items[1:] }}|{{ items[::2] }}|{{ text[-5:-1] }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "Hello|World|dlroW olleH|[1, 2]|[3, 2]|Worl")
    }

    func testMissingAttributePrintsEmpty() throws {
        XCTAssertEqual(
            try render("[{{ user.zip }}][{{ user['zip'] }}][{{ items[10] }}][{{ nothing }}]", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "[][][][]")
    }

    func testUnaryMinusAndPlus() throws {
        XCTAssertEqual(
            try render("{{ -items[0] }} {{ +2 }} {{ -(1.5) }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "-3 2 -1.5")
    }

    func testFilterBindsTighterThanUnaryMinus() throws {
        XCTAssertEqual(try render("{{ -3 | abs }}"), "3")
    }

    func testDictLiteralWithIntegerKeys() throws {
        XCTAssertEqual(
            try render("{% set d = {0: 'zero', 512: 'half'} %}{{ d[512] }}{{ d }}"),
            "half{0: 'zero', 512: 'half'}")
    }
}
