// Reading JSON into template values (key order kept, Python's int/float split) and writing it as json.dumps does.
import Jinja
import XCTest

final class JSONValueTests: XCTestCase {
    func testObjectKeysKeepTheirOrder() throws {
        guard case .object(let object) = try JinjaValue(json: #"{"z": 1, "a": 2, "m": 3}"#) else {
            return XCTFail("not an object")
        }
        XCTAssertEqual(object.keys, ["z", "a", "m"])
    }

    func testIntegersAndFloatsStayDistinct() throws {
        XCTAssertEqual(try JinjaValue(json: "[1, 1.0, 1e2, -0]"), [.int(1), .float(1.0), .float(100.0), .int(0)])
    }

    func testStringEscapesAndSurrogatePairsDecode() throws {
        XCTAssertEqual(try JinjaValue(json: #""a\n\u00e9\ud83d\ude00\/""#), "a\né😀/")
    }

    func testRepeatedKeyKeepsFirstPositionAndLastValue() throws {
        XCTAssertEqual(try JinjaValue(json: #"{"a": 1, "b": 2, "a": 3}"#).jsonString(), #"{"a": 3, "b": 2}"#)
    }

    func testInvalidJSONReportsLineAndColumn() {
        XCTAssertThrowsError(try JinjaValue(json: "{\n  \"a\": tru\n}")) { error in
            XCTAssertEqual(error as? TemplateError, .invalidJSON(message: "expected a value", line: 2, column: 8))
        }
    }

    func testTrailingGarbageIsRejected() {
        XCTAssertThrowsError(try JinjaValue(json: "[1] x"))
    }

    func testJSONStringMatchesPythonJSONDumps() throws {
        let value = try JinjaValue(json: #"{"text": "é<>&\"\u0001", "n": [1, 2.5, null, true, 1e16]}"#)
        XCTAssertEqual(value.jsonString(), #"{"text": "é<>&\"\u0001", "n": [1, 2.5, null, true, 1e+16]}"#)
    }

    func testUndefinedHasNoJSONForm() {
        XCTAssertNil(JinjaValue.undefinedVariable("x").jsonString())
    }

    func testDeepNestingIsRejectedInsteadOfOverflowingTheStack() {
        XCTAssertThrowsError(try JinjaValue(json: String(repeating: "[", count: 10_000)))
    }
}
