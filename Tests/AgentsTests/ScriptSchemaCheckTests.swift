// The check a step's output gets against its JSON schema (what the grammar cannot guarantee: agent answers,
// tool output, replies cut short): the first problem, with its JSON path.
import Agents
import XCTest

final class ScriptSchemaCheckTests: XCTestCase {
    private let person: JSON = [
        "type": "object",
        "properties": [
            "name": ["type": "string", "minLength": 1],
            "born": ["type": "integer", "minimum": 0],
            "tags": ["type": "array", "items": ["enum": ["a", "b"]], "maxItems": 2],
            "id": ["type": "string", "format": "uuid"],
            "code": ["type": "string", "pattern": "^[A-Z]{3}$"],
        ],
        "required": ["name", "born"],
        "additionalProperties": false,
    ]

    private func problem(_ value: JSON) -> String? { SchemaCheck.problem(with: value, schema: person) }

    func testAConformingValueHasNoProblem() {
        XCTAssertNil(problem(["name": "Ada", "born": 1815, "tags": ["a"], "code": "LDN"]))
    }

    func testProblemsNameTheirPath() {
        XCTAssertEqual(problem(["name": "Ada"]), "$: the key 'born' is missing")
        XCTAssertEqual(problem(["name": "Ada", "born": 18.5]), "$.born: expected an integer, found a number")
        XCTAssertEqual(problem(["name": "Ada", "born": -1]), "$.born: below the minimum 0")
        XCTAssertEqual(problem(["name": "Ada", "born": 1, "tags": ["c"]]), "$.tags[0]: must be one of \"a\", \"b\", found \"c\"")
        XCTAssertEqual(problem(["name": "Ada", "born": 1, "age": 3]),
                       "$: the key 'age' is not allowed (allowed: name, born, tags, id, code)")
        XCTAssertEqual(problem("Ada"), "$: expected an object, found a string")
    }

    func testPatternAndFormat() {
        XCTAssertEqual(problem(["name": "Ada", "born": 1, "code": "ldn"]), "$.code: does not match the pattern ^[A-Z]{3}$")
        XCTAssertEqual(problem(["name": "Ada", "born": 1, "id": "not-a-uuid"]), "$.id: is not a uuid")
        XCTAssertNil(problem(["name": "Ada", "born": 1, "id": "123e4567-e89b-12d3-a456-426614174000"]))
    }

    func testAnyOfNeedsOneAlternative() {
        let schema: JSON = ["anyOf": [["type": "string"], ["type": "integer"]]]
        XCTAssertNil(SchemaCheck.problem(with: 3, schema: schema))
        XCTAssertNil(SchemaCheck.problem(with: "x", schema: schema))
        XCTAssertEqual(SchemaCheck.problem(with: true, schema: schema),
                       "$: expected a string, found a boolean (and no other alternative fits)")
    }
}
