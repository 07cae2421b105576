// Jinja if/for/set/macro/call/filter/with blocks, loop variables and jinja2's scoping.
// Expected strings were rendered once by Python jinja2 3.1.6 in transformers' environment
// (TemplateOracle.script in ConformanceTests) and pasted here.
import Jinja
import XCTest

final class StatementTests: XCTestCase {
    func testIfElifElse() throws {
        XCTAssertEqual(
            try render("{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}"),
            "one two many ")
    }

    func testForLoopVariables() throws {
        XCTAssertEqual(
            try render("{% for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "1032TrueFalse3;2121FalseFalse3;3210FalseTrue3;")
    }

    func testLoopPrevitemNextitemAndCycle() throws {
        XCTAssertEqual(
            try render("{% for x in items %}({{ loop.previtem }},{{ loop.nextitem }},{{ loop.cycle('odd', 'even') }}){% endfor %}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "(,1,odd)(3,2,even)(1,,odd)")
    }

    func testForElseRunsOnlyWhenNothingIterated() throws {
        XCTAssertEqual(
            try render("{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] %}x{% else %}empty{% endfor %}"),
            "empty|x")
    }

    func testForWithFilterCondition() throws {
        XCTAssertEqual(
            try render("{% for x in items if x > 1 %}{{ x }}/{{ loop.length }} {% endfor %}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "3/2 2/2 ")
    }

    func testForUnpacksTuples() throws {
        XCTAssertEqual(
            try render("{% for k, v in user.items() %}{{ k }}={{ v }};{% endfor %}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "name=Ada;age=36;tags=['x', 'y'];")
    }

    func testForOverDictYieldsKeys() throws {
        XCTAssertEqual(
            try render("{% for k in user %}{{ k }} {% endfor %}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "name age tags ")
    }

    func testForOverStringYieldsCharacters() throws {
        XCTAssertEqual(try render("{% for c in 'héllo' %}[{{ c }}]{% endfor %}"), "[h][é][l][l][o]")
    }

    func testForOverUndefinedIsEmpty() throws {
        XCTAssertEqual(try render("{% for x in missing %}x{% else %}none{% endfor %}"), "none")
    }

    func testBreakAndContinue() throws {
        XCTAssertEqual(
            try render("{% for x in range(10) %}{% if x is odd %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}"),
            "0246")
    }

    func testSetInsideLoopDoesNotLeak() throws {
        XCTAssertEqual(
            try render("{% set x = 0 %}{% for i in items %}{{ x }}{% set x = i %}{% endfor %}{{ x }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "0000")
    }

    func testNamespaceCarriesStateOutOfLoops() throws {
        XCTAssertEqual(
            try render("{% set ns = namespace(total=0, last=none) %}{% for i in items %}{% set ns.total = ns.total + i %}{% set ns.last = i %}{% endfor %}{{ ns.total }} {{ ns.last }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "6 2")
    }

    func testSetWithTupleTarget() throws {
        XCTAssertEqual(try render("{% set a, b = 'xy' %}{{ b }}{{ a }}{% set c, d = 1, 2 %}{{ c + d }}"), "yx3")
    }

    func testBlockSetCapturesOutput() throws {
        XCTAssertEqual(
            try render("{% set block %}Hi {{ user.name }}!{% endset %}[{{ block }}]{{ block | length }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "[Hi Ada!]7")
    }

    func testBlockSetAppliesFilter() throws {
        XCTAssertEqual(
            try render("{% set shout | upper %}hi {{ user.name }}{% endset %}{{ shout }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "HI ADA")
    }

    func testMacroWithDefaults() throws {
        XCTAssertEqual(
            try render("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ada') }} {{ greet('Bob', greeting='Hi') }}"),
            "Hello, Ada! Hi, Bob!")
    }

    func testMacroMissingArgumentIsUndefined() throws {
        XCTAssertEqual(try render("{% macro show(a, b) %}[{{ a }}|{{ b }}]{% endmacro %}{{ show(1) }}"), "[1|]")
    }

    func testMacroVarargsAndKwargs() throws {
        XCTAssertEqual(
            try render("{% macro f(a) %}{{ a }} {{ varargs }} {{ kwargs }}{% endmacro %}{{ f(1, 2, 3, x=4) }}"),
            "1 (2, 3) {'x': 4}")
    }

    func testMacroSeesCallTimeGlobals() throws {
        XCTAssertEqual(
            try render("{% macro show() %}{{ later }}{% endmacro %}{% set later = 'set after' %}{{ show() }}"),
            "set after")
    }

    func testCallBlockPassesCaller() throws {
        XCTAssertEqual(
            try render("{% macro wrap(tag) %}<{{ tag }}>{{ caller('inner') }}</{{ tag }}>{% endmacro %}{% call(arg) wrap('b') %}[{{ arg }}]{% endcall %}"),
            "<b>[inner]</b>")
    }

    func testFilterBlock() throws {
        XCTAssertEqual(
            try render("{% filter upper %}shout {{ user.name }}{% endfilter %}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "SHOUT ADA")
    }

    func testWithBlockScopesVariables() throws {
        XCTAssertEqual(try render("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]"), "3[]")
    }

    func testGenerationBlockRendersBody() throws {
        XCTAssertEqual(try render("{% generation %}answer {{ 1 + 1 }}{% endgeneration %}"), "answer 2")
    }

    func testRecursiveLoop() throws {
        XCTAssertEqual(
            try render("{% for n in tree recursive %}{{ n.name }}{% if n.children %}({{ loop(n.children) }}){% endif %}{% endfor %}", context: "{\"tree\": [{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": []}, {\"name\": \"c\"}]}, {\"name\": \"d\"}]}"),
            "a(bc)d")
    }

    func testLoopDepthInRecursiveLoop() throws {
        XCTAssertEqual(
            try render("{% for n in tree recursive %}{{ loop.depth }}{% if n.children %}{{ loop(n.children) }}{% endif %}{% endfor %}", context: "{\"tree\": [{\"children\": [{\"children\": [{}]}]}]}"),
            "123")
    }
}
