// The `{{ … }}` language of scripts: text interpolation, typed single expressions, members and indices, the
// filters, comparisons, and the errors an expression gives on the values a run produced.
import Agents
import XCTest

final class ScriptTemplateTests: XCTestCase {
    private let scope: [String: JSON] = [
        "topic": "B-trees",
        "n": 3,
        "plan": ["tasks": ["read", "write"], "done": false],
        "answer": .string(#"{"city": "Paris", "people": [1, 2]}"#),
        "listing": "docs/\nnotes.txt (120 bytes)\nlink (symbolic link, not followed)\nb.md (7 bytes)",
        "text": "  one\n\n two  \n",
    ]

    private func value(_ source: String) throws -> JSON { try ScriptTemplate(parsing: source).evaluate(in: scope) }

    func testTextInterpolatesEachExpression() throws {
        XCTAssertEqual(try value("About {{ topic }} in {{ n }} parts: {{ plan.tasks }}"),
                       .string(#"About B-trees in 3 parts: ["read", "write"]"#))
    }

    func testASingleExpressionKeepsItsType() throws {
        XCTAssertEqual(try value("  {{ plan.tasks }} "), ["read", "write"])
        XCTAssertEqual(try value("{{ n }}"), 3)
        XCTAssertEqual(try value("{{ plan.done }}"), false)
    }

    func testListIndicesAndMembersOfJSONText() throws {
        XCTAssertEqual(try value("{{ plan.tasks.1 }}"), "write")
        XCTAssertEqual(try value("{{ answer.city }}"), "Paris", "a string holding JSON is read as JSON")
        XCTAssertEqual(try value("{{ answer.people | length }}"), 2)
    }

    func testFilters() throws {
        XCTAssertEqual(try value("{{ text | lines }}"), ["one", "two"])
        XCTAssertEqual(try value("{{ text | trim }}"), "one\n\n two")
        XCTAssertEqual(try value("{{ listing | files }}"), ["notes.txt", "b.md"])
        XCTAssertEqual(try value(#"{{ plan.tasks | join(", ") }}"#), "read, write")
        XCTAssertEqual(try value("{{ plan.tasks | join }}"), "read\nwrite")
        XCTAssertEqual(try value("{{ topic | upper }}"), "B-TREES")
        XCTAssertEqual(try value("{{ plan | json }}"), .string(#"{"tasks": ["read", "write"], "done": false}"#))
        XCTAssertEqual(try value("{{ plan.tasks | last }}"), "write")
    }

    func testComparisonsAndNot() throws {
        XCTAssertEqual(try value(#"{{ topic == "B-trees" }}"#), true)
        XCTAssertEqual(try value(#"{{ topic != "B-trees" }}"#), false)
        XCTAssertEqual(try value("{{ n == 3 }}"), true)
        XCTAssertEqual(try value("{{ not plan.done }}"), true)
        XCTAssertEqual(try value("{{ plan.tasks | length == 2 }}"), true)
    }

    func testTruthiness() {
        XCTAssertFalse(JSON.string(" No ").isTruthy)
        XCTAssertFalse(JSON.array([]).isTruthy)
        XCTAssertFalse(JSON.null.isTruthy)
        XCTAssertTrue(JSON.string("yes").isTruthy)
        XCTAssertTrue(JSON.number(2).isTruthy)
    }

    func testQuotedBracesAreText() throws {
        XCTAssertEqual(try value(#"{{ "{{" }} literal }}"#), "{{ literal }}")
    }

    func testMissingMemberSaysWhatThereIs() {
        let error = scriptError { try value("x {{ plan.steps }}") }
        XCTAssertEqual(error?.description, "<template>:1:3: 'plan' has no member 'steps' (it has tasks, done)")
    }

    func testIndexPastTheEnd() {
        let error = scriptError { try value("{{ plan.tasks.5 }}") }
        XCTAssertEqual(error?.description,
                       "<template>:1:1: 'plan.tasks' has 2 items, so there is no item 5 (indices start at 0)")
    }

    func testMemberOfPlainText() {
        let error = scriptError { try value("{{ topic.name }}") }
        XCTAssertEqual(error?.description,
                       "<template>:1:1: 'topic' is a string, not an object or a list, so it has no member 'name'")
    }

    func testSyntaxErrorsPointIntoTheExpression() {
        XCTAssertEqual(scriptError { try ScriptTemplate(parsing: "ab {{ x. }}") }?.description,
                       "<template>:1:10: bad template: a member name or a list index must follow '.'")
        XCTAssertEqual(scriptError { try ScriptTemplate(parsing: "{{ x y }}") }?.description,
                       "<template>:1:6: bad template: unexpected 'y' after the expression")
        XCTAssertEqual(scriptError { try ScriptTemplate(parsing: "{{ }}") }?.description,
                       "<template>:1:4: bad template: an expression is missing")
    }
}
