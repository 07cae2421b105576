// Jinja trim_blocks, lstrip_blocks and `-`/`+` whitespace control, comments and raw blocks.
// Expected strings were rendered once by Python jinja2 3.1.6 in transformers' environment
// (TemplateOracle.script in ConformanceTests) and pasted here.
import Jinja
import XCTest

final class WhitespaceControlTests: XCTestCase {
    func testTrimBlocksRemovesNewlineAfterBlockTag() throws {
        XCTAssertEqual(try render("{% if true %}\nyes\n{% endif %}\ndone"), "yes\ndone")
    }

    func testLstripBlocksRemovesIndentBeforeBlockTag() throws {
        XCTAssertEqual(try render("  {% if true %}\n  x\n  {% endif %}\n"), "  x\n")
    }

    func testLstripDoesNotApplyToPrintTags() throws {
        XCTAssertEqual(try render("  {{ 'x' }}\n"), "  x")
    }

    func testMinusStripsWhitespaceOnBothSides() throws {
        XCTAssertEqual(try render("a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c"), "abc")
    }

    func testMinusOnPrintTagStripsAroundIt() throws {
        XCTAssertEqual(try render("a \n {{- 'b' -}} \n c"), "abc")
    }

    func testPlusDisablesLstrip() throws {
        XCTAssertEqual(try render("  {%+ if true %}x{% endif %}"), "  x")
    }

    func testPlusDisablesTrimBlocks() throws {
        XCTAssertEqual(try render("{% if true +%}\nx{% endif %}"), "\nx")
    }

    func testCommentsAreDroppedAndTrimmed() throws {
        XCTAssertEqual(try render("a\n{# note #}\nb\n  {#- strip -#}  \nc"), "a\nbc")
    }

    func testRawBlockKeepsTagsAsText() throws {
        XCTAssertEqual(try render("{% raw %}{{ x }} {% if %}{% endraw %}"), "{{ x }} {% if %}")
    }

    func testSingleTrailingNewlineOfSourceIsDropped() throws {
        XCTAssertEqual(try render("line\n"), "line")
    }

    func testCrlfNewlinesBecomeLF() throws {
        XCTAssertEqual(try render("a\r\nb\rc"), "a\nb\nc")
    }

    func testTextAfterTagOnSameLineIsNotLstripped() throws {
        XCTAssertEqual(try render("{% if true %}  x{% endif %}"), "  x")
    }
}
