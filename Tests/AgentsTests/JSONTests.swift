// The JSON reader and writer: key order kept, strict syntax with byte offsets.
import Agents
import XCTest

final class JSONTests: XCTestCase {
    func testRoundTripKeepsKeyOrder() throws {
        let text = #"{"z": 1, "a": [true, null, "x\n\"y\""], "m": {"k": -2.5}}"#
        let value = try JSON(parsing: text)
        XCTAssertEqual(value.objectValue?.keys, ["z", "a", "m"])
        XCTAssertEqual(value.text, text)
    }

    func testUnicodeEscapesIncludingSurrogatePairs() throws {
        XCTAssertEqual(try JSON(parsing: #""\u00e9\ud83d\ude00""#), .string("é😀"))
    }

    func testTrailingTextIsAnErrorWithItsOffset() {
        XCTAssertThrowsError(try JSON(parsing: #"{"a": 1} x"#)) { error in
            XCTAssertEqual((error as? JSONParseError)?.description, "unexpected text after the JSON value at byte 9")
        }
    }

    /// Found by the toolcall fuzz target: 1e616 read as infinity and printed back as null.
    func testANumberBeyondDoubleIsRefusedWithItsOffset() throws {
        XCTAssertThrowsError(try JSON(parsing: #"{"x": 1e616}"#)) { error in
            XCTAssertEqual((error as? JSONParseError)?.description, "number 1e616 is out of range at byte 6")
        }
        XCTAssertThrowsError(try JSON(parsing: "-1e999"))
        XCTAssertEqual(try JSON(parsing: "1e308"), .number(1e308))
        XCTAssertEqual(try JSON(parsing: "1e-400"), .number(0))
    }

    func testUnterminatedObject() {
        XCTAssertThrowsError(try JSON(parsing: #"{"a": 1"#)) { error in
            XCTAssertEqual((error as? JSONParseError)?.description, "unexpected end of text inside an object at byte 7")
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        XCTAssertThrowsError(try JSON(parsing: deep))
    }
}
