// Jinja `is` tests.
// Expected strings were rendered once by Python jinja2 3.1.6 in transformers' environment
// (TemplateOracle.script in ConformanceTests) and pasted here.
import Jinja
import XCTest

final class TestTests: XCTestCase {
    func testDefinedAndUndefined() throws {
        XCTAssertEqual(
            try render("{{ user is defined }} {{ missing is defined }} {{ missing is undefined }} {{ user.zip is defined }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "True False True False")
    }

    func testNoneBooleanTrueFalse() throws {
        XCTAssertEqual(
            try render("{{ none is none }} {{ 0 is none }} {{ true is boolean }} {{ 1 is boolean }} {{ true is true }} {{ 1 is true }} {{ false is false }}"),
            "True False True False True False True")
    }

    func testStringNumberIntegerFloat() throws {
        XCTAssertEqual(
            try render("{{ 'a' is string }} {{ 1 is string }} {{ 1 is number }} {{ 1.5 is number }} {{ true is number }} {{ 1 is integer }} {{ true is integer }} {{ 1.0 is float }}"),
            "True False True True True True False True")
    }

    func testMappingIterableSequence() throws {
        XCTAssertEqual(
            try render("{{ user is mapping }} {{ items is mapping }} {{ items is iterable }} {{ 'x' is iterable }} {{ 1 is iterable }} {{ user is sequence }} {{ 'x' is sequence }} {{ missing is iterable }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "True False True True False True True True")
    }

    func testCallable() throws {
        XCTAssertEqual(
            try render("{{ range is callable }} {{ 'x'.upper is callable }} {{ 'x' is callable }}"),
            "True True False")
    }

    func testComparisonTests() throws {
        XCTAssertEqual(
            try render("{{ 3 is eq 3 }} {{ 3 is equalto 4 }} {{ 3 is ne 4 }} {{ 3 is lt 4 }} {{ 3 is gt 4 }} {{ 3 is ge 3 }} {{ 3 is le 2 }} {{ 2 is in [1, 2] }}"),
            "True False True True False True False True")
    }

    func testOddEvenDivisibleby() throws {
        XCTAssertEqual(
            try render("{{ 3 is odd }} {{ 3 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }}"),
            "True False True False")
    }

    func testLowerUpperSameasEscaped() throws {
        XCTAssertEqual(
            try render("{{ 'abc' is lower }} {{ 'ABC' is upper }} {{ 'aBc' is lower }} {{ none is sameas none }} {{ false is sameas false }} {{ '<b>' | safe is escaped }}"),
            "True True False True True True")
    }

    func testNegatedTests() throws {
        XCTAssertEqual(
            try render("{{ none is not none }} {{ 'x' is not string }} {{ missing is not defined }}"),
            "False False True")
    }

    func testFilterAndTestTests() throws {
        XCTAssertEqual(
            try render("{{ 'upper' is filter }} {{ 'nope' is filter }} {{ 'odd' is test }}"),
            "True False True")
    }
}
