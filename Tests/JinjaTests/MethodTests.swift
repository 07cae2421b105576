// Jinja Python methods templates call on strings, dicts and lists.
// Expected strings were rendered once by Python jinja2 3.1.6 in transformers' environment
// (TemplateOracle.script in ConformanceTests) and pasted here.
import Jinja
import XCTest

final class MethodTests: XCTestCase {
    func testStripFamily() throws {
        XCTAssertEqual(
            try render("[{{ '  a b  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '  a'.lstrip() }}][{{ 'a  '.rstrip() }}][{{ '\\n\\ta\\n'.strip() }}]"),
            "[a b][a][a][a][a]")
    }

    func testSplitAndRsplit() throws {
        XCTAssertEqual(
            try render("{{ 'a,b,,c'.split(',') }} {{ '  a  b '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'x'.split('y') }}"),
            "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b,c'] ['a,b', 'c'] ['x']")
    }

    func testStartswithEndswith() throws {
        XCTAssertEqual(
            try render("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.endswith('x') }}"),
            "True True True False")
    }

    func testCaseMethods() throws {
        XCTAssertEqual(
            try render("{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ 'Hi'.upper() }} {{ 'Hi'.lower() }} {{ 'Hi'.swapcase() }}"),
            "Hello World Hello HI hi hI")
    }

    func testReplaceFindCount() throws {
        XCTAssertEqual(
            try render("{{ 'a-b-c'.replace('-', '+') }} {{ 'a-b-c'.replace('-', '', 1) }} {{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.find('z') }} {{ 'hello'.count('l') }}"),
            "a+b+c ab-c 2 3 -1 2")
    }

    func testFormatMethod() throws {
        XCTAssertEqual(
            try render("{{ '{} and {}'.format('a', 'b') }} {{ '{1}{0}'.format('a', 'b') }} {{ '{name}!'.format(name='x') }} {{ '{:>5}|{:<5}|{:^5}'.format('a', 'b', 'c') }} {{ '{:.2f}'.format(3.14159) }} {{ '{!r}'.format('q') }} {{ '{{}}'.format() }}"),
            "a and b ba x!     a|b    |  c   3.14 'q' {}")
    }

    func testPercentFormatting() throws {
        XCTAssertEqual(
            try render("{{ '%s=%d' % ('a', 3) }} {{ '%5.1f|%-4s|%03d' % (2.345, 'x', 7) }} {{ '%s' % 'solo' }} {{ '100%%' % () }}"),
            "a=3   2.3|x   |007 solo 100%")
    }

    func testJoinAndMiscStringMethods() throws {
        XCTAssertEqual(
            try render("{{ '-'.join(['a', 'b']) }} {{ 'abc'.isalpha() }} {{ '123'.isdigit() }} {{ ' '.isspace() }} {{ '7'.zfill(3) }} {{ 'ab'.center(6, '*') }} {{ 'a=b=c'.partition('=') }}"),
            "a-b True True True 007 **ab** ('a', '=', 'b=c')")
    }

    func testDictMethods() throws {
        XCTAssertEqual(
            try render("{{ user.get('name') }} {{ user.get('zip') }} {{ user.get('zip', 'none given') }} {{ user.keys() | list }} {{ user.values() | list | length }} {{ user.items() | list | first }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "Ada None none given ['name', 'age', 'tags'] 3 ('name', 'Ada')")
    }

    func testListMethods() throws {
        XCTAssertEqual(
            try render("{{ items.index(1) }} {{ items.count(3) }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "1 1")
    }
}
