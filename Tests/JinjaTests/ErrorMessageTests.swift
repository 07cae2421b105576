// The errors a template can raise: jinja2's own wording (so users see what transformers would say) plus where in
// the template it happened. Python's messages were checked against jinja2 3.1.6.
import Jinja
import XCTest

final class ErrorMessageTests: XCTestCase {
    private func error(_ source: String, context: String = "{}") -> TemplateError? {
        do {
            _ = try render(source, context: context)
            return nil
        } catch let error as TemplateError {
            return error
        } catch {
            return nil
        }
    }

    func testRaiseExceptionCarriesTheMessageVerbatim() {
        XCTAssertEqual(error("{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"),
                       .raised("Conversation roles must alternate user/assistant/user/assistant/..."))
    }

    func testRaisedErrorDescriptionIsTheMessage() {
        XCTAssertEqual(error("{{ raise_exception('System role not supported') }}")?.description,
                       "System role not supported")
    }

    func testUndefinedAttributeOfUndefinedFailsWithItsName() {
        XCTAssertEqual(error("\n  {{ message.content }}"),
                       .undefined(message: "'message' is undefined",
                                  location: SourceLocation(name: "test.jinja", line: 2, column: 6)))
    }

    func testMissingKeyThenAttributeNamesTheDict() {
        XCTAssertEqual(error("{{ m.tool_calls.name }}", context: #"{"m": {"role": "user"}}"#)?.message,
                       "'dict object' has no attribute 'tool_calls'")
    }

    func testMissingListElementNamesTheIndex() {
        XCTAssertEqual(error("{{ m[3].role }}", context: #"{"m": []}"#)?.message, "list object has no element 3")
    }

    func testUndefinedErrorDescriptionSaysWhereAndWhy() {
        XCTAssertEqual(error("{{ x.y }}")?.description,
                       "'x' is undefined at test.jinja:1:4: the template used a value the conversation does not provide")
    }

    func testSandboxForbidsMutatingAList() {
        XCTAssertEqual(error("{% set ids = [] %}{% set _ = ids.append(1) %}"),
                       .unsafe(message: "access to attribute 'append' of 'list' object is unsafe.",
                               location: SourceLocation(name: "test.jinja", line: 1, column: 34)))
    }

    func testAddingStringAndIntegerUsesPythonsMessage() {
        XCTAssertEqual(error("{{ 'n=' + 1 }}")?.message, "can only concatenate str (not \"int\") to str")
    }

    func testComparingUnorderableTypesUsesPythonsMessage() {
        XCTAssertEqual(error("{{ 'a' < 1 }}")?.message, "'<' not supported between instances of 'str' and 'int'")
    }

    func testLengthOfNoneUsesPythonsMessage() {
        XCTAssertEqual(error("{{ tools | length }}", context: #"{"tools": null}"#)?.message,
                       "object of type 'NoneType' has no len()")
    }

    func testMacroCalledWithTooManyArguments() {
        XCTAssertEqual(error("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}")?.message,
                       "macro 'm' takes not more than 1 argument(s)")
    }

    func testUnknownFilterOutsideIfFailsAtParseTime() {
        XCTAssertThrowsError(try Template("\n{{ args | from_json }}", name: "chat.jinja")) { error in
            XCTAssertEqual(error as? TemplateError,
                           .syntax(message: "No filter named 'from_json'.",
                                   location: SourceLocation(name: "chat.jinja", line: 2, column: 11)))
        }
    }

    func testUnknownFilterInsideIfFailsOnlyWhenReached() throws {
        let source = "{% if args is string %}{{ args | from_json }}{% endif %}ok"
        XCTAssertEqual(try render(source, context: #"{"args": {}}"#), "ok")
        XCTAssertEqual(error(source, context: #"{"args": "{}"}"#)?.message, "No filter named 'from_json' found.")
    }

    func testUnsupportedFilterNamesTheFilterAndPlace() {
        XCTAssertEqual(error("{% set a = {'x': 1} %}\n\n{{ 'Attributes:' ~ a | xmlattr }}")?.description,
                       "unsupported filter `xmlattr` at test.jinja:3:24: Tokenworks' Jinja renderer does not implement"
                           + " it; override the chat template with a file in prompts/templates/")
    }

    func testUnknownTagIsASyntaxError() {
        XCTAssertThrowsError(try Template("{% for m in messages %}{% frobnicate %}{% endfor %}", name: "t")) { error in
            XCTAssertEqual((error as? TemplateError)?.message,
                           "Encountered unknown tag 'frobnicate'. Jinja was looking for the end of the 'for' block.")
        }
    }

    func testUnclosedBlockNamesTheInnermostBlock() {
        XCTAssertThrowsError(try Template("{% if x %}{% for m in y %}", name: "t")) { error in
            XCTAssertEqual((error as? TemplateError)?.message,
                           "Unexpected end of template. Jinja was looking for the following tags: 'else' or 'endfor'."
                               + " The innermost block that needs to be closed is 'for'.")
        }
    }

    func testUnterminatedCommentIsASyntaxError() {
        XCTAssertThrowsError(try Template("a\n{# never closed", name: "t")) { error in
            XCTAssertEqual(error as? TemplateError,
                           .syntax(message: "Missing end of comment tag", location: SourceLocation(name: "t", line: 2, column: 1)))
        }
    }

    func testIncludeIsReportedAsUnsupported() {
        XCTAssertThrowsError(try Template("{% include 'other.jinja' %}", name: "t")) { error in
            XCTAssertEqual(error as? TemplateError,
                           .unsupported(construct: "tag `include`", location: SourceLocation(name: "t", line: 1, column: 4)))
        }
    }

    func testRunawayRecursionFailsCleanly() {
        XCTAssertEqual(error("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}")?.message,
                       "maximum recursion depth exceeded")
    }

    func testAbsurdNestingIsRejectedAtParseTime() {
        let source = "{{ " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200) + " }}"
        XCTAssertThrowsError(try Template(source, name: "t")) { error in
            XCTAssertEqual((error as? TemplateError)?.message, "nesting deeper than 160 levels")
        }
    }
}
