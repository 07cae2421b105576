// Jinja builtin filters (and Hugging Face's `tojson`).
// Expected strings were rendered once by Python jinja2 3.1.6 in transformers' environment
// (TemplateOracle.script in ConformanceTests) and pasted here.
import Jinja
import XCTest

final class FilterTests: XCTestCase {
    func testTojsonKeepsNonASCIIAndOrder() throws {
        XCTAssertEqual(
            try render("{{ {'b': 'é中😀', 'a': [1, 2.5, none, true]} | tojson }}"),
            "{\"b\": \"é中😀\", \"a\": [1, 2.5, null, true]}")
    }

    func testTojsonIndentAndSortKeys() throws {
        XCTAssertEqual(
            try render("{{ {'b': 1, 'a': {'c': []}} | tojson(indent=2, sort_keys=true) }}"),
            "{\n  \"a\": {\n    \"c\": []\n  },\n  \"b\": 1\n}")
    }

    func testTojsonSeparators() throws {
        XCTAssertEqual(try render("{{ {'a': [1, 2]} | tojson(separators=(',', ':')) }}"), "{\"a\":[1,2]}")
    }

    func testTojsonEscapesControlCharactersAndQuotes() throws {
        XCTAssertEqual(
            try render("{{ 'tab\\t\"q\" \\\\ <&>\\u0001' | tojson }}"),
            "\"tab\\t\\\"q\\\" \\\\ <&>\\u0001\"")
    }

    func testTojsonEnsureASCII() throws {
        XCTAssertEqual(try render("{{ 'é😀' | tojson(ensure_ascii=true) }}"), "\"\\u00e9\\ud83d\\ude00\"")
    }

    func testTrimUpperLowerTitleCapitalize() throws {
        XCTAssertEqual(
            try render("{{ '  pad  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'Hello' | upper }}|{{ 'Hello' | lower }}|{{ 'hello big-world (x)' | title }}|{{ 'hELLO wORLD' | capitalize }}"),
            "pad|hi|HELLO|hello|Hello Big-World (X)|Hello world")
    }

    func testLengthAndCount() throws {
        XCTAssertEqual(
            try render("{{ items | length }} {{ 'héllo' | length }} {{ user | count }} {{ missing | length }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "3 5 3 0")
    }

    func testFirstAndLast() throws {
        XCTAssertEqual(
            try render("{{ items | first }} {{ items | last }} {{ 'abc' | first }} [{{ [] | first }}]", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "3 2 a []")
    }

    func testJoinStringifiesItems() throws {
        XCTAssertEqual(
            try render("{{ items | join(', ') }}|{{ [1, none, 'a'] | join }}|{{ [{'n': 'a'}, {'n': 'b'}] | join('-', attribute='n') }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "3, 1, 2|1Nonea|a-b")
    }

    func testDefaultFilter() throws {
        XCTAssertEqual(
            try render("{{ missing | default('dflt') }} {{ none | default('dflt') }} {{ '' | default('empty', true) }} {{ missing | d('d') }}"),
            "dflt None empty d")
    }

    func testItemsAndDictsort() throws {
        XCTAssertEqual(
            try render("{{ user | items | list }}|{{ {'b': 1, 'A': 2, 'c': 0} | dictsort }}|{{ {'b': 1, 'a': 2} | dictsort(by='value', reverse=true) }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "[('name', 'Ada'), ('age', 36), ('tags', ['x', 'y'])]|[('A', 2), ('b', 1), ('c', 0)]|[('a', 2), ('b', 1)]")
    }

    func testListAndString() throws {
        XCTAssertEqual(
            try render("{{ 'ab' | list }} {{ user | list }} {{ 12 | string }} {{ none | string }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "['a', 'b'] ['name', 'age', 'tags'] 12 None")
    }

    func testIntAndFloatConversions() throws {
        XCTAssertEqual(
            try render("{{ '42' | int }} {{ '42.9' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 3.99 | int }} {{ '0x1A' | int(0, 16) }} {{ '2.5' | float }} {{ 'x' | float }} {{ 3 | float }}"),
            "42 42 0 7 3 26 2.5 0.0 3.0")
    }

    func testAbsAndRound() throws {
        XCTAssertEqual(
            try render("{{ -3 | abs }} {{ -2.5 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(0, 'floor') }} {{ 7 | round }}"),
            "3 2.5 2.0 4.0 2.67 3.0 2.0 7")
    }

    func testReplaceFilter() throws {
        XCTAssertEqual(
            try render("{{ 'a-b-c' | replace('-', '+') }} {{ 'a-b-c' | replace('-', '', 1) }}"),
            "a+b+c ab-c")
    }

    func testIndentFilter() throws {
        XCTAssertEqual(
            try render("{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'a\\nb' | indent(2, first=true) }}|{{ 'a\\n\\nb' | indent('> ', blank=true) }}"),
            "a\n  b\n\n  c|  a\n  b|a\n> \n> b")
    }

    func testUniqueFilter() throws {
        XCTAssertEqual(
            try render("{{ ['a', 'A', 'b', 'a'] | unique | list }} {{ ['a', 'A'] | unique(case_sensitive=true) | list }}"),
            "['a', 'b'] ['a', 'A']")
    }

    func testSortFilter() throws {
        XCTAssertEqual(
            try render("{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | sort(reverse=true) }} {{ [{'n': 2}, {'n': 1}] | sort(attribute='n') }}"),
            "[1, 2, 3] ['A', 'b', 'c'] ['A', 'b', 'c'] [3, 2, 1] [{'n': 1}, {'n': 2}]")
    }

    func testReverseFilter() throws {
        XCTAssertEqual(try render("{{ 'abc' | reverse }} {{ [1, 2, 3] | reverse | list }}"), "cba [3, 2, 1]")
    }

    func testMapFilter() throws {
        XCTAssertEqual(
            try render("{{ [{'n': 'a'}, {'n': 'b'}, {}] | map(attribute='n', default='?') | list }} {{ [1, 2] | map('string') | list }} {{ ['a', 'b'] | map('upper') | join }}"),
            "['a', 'b', '?'] ['1', '2'] AB")
    }

    func testSelectAndReject() throws {
        XCTAssertEqual(
            try render("{{ range(6) | select('odd') | list }} {{ range(6) | reject('odd') | list }} {{ [0, 1, '', 'x'] | select | list }} {{ range(6) | select('divisibleby', 3) | list }}"),
            "[1, 3, 5] [0, 2, 4] [1, 'x'] [0, 3]")
    }

    func testSelectattrAndRejectattr() throws {
        XCTAssertEqual(
            try render("{{ people | selectattr('admin') | map(attribute='name') | list }} {{ people | rejectattr('admin') | map(attribute='name') | list }} {{ people | selectattr('name', 'equalto', 'b') | list | length }}", context: "{\"people\": [{\"name\": \"a\", \"admin\": true}, {\"name\": \"b\", \"admin\": false}]}"),
            "['a'] ['b'] 1")
    }

    func testSelectOnNoneIsEmpty() throws {
        XCTAssertEqual(
            try render("{{ none | selectattr('x') | list }} {{ none | map(attribute='x') | list }}"),
            "[] []")
    }

    func testSumMinMax() throws {
        XCTAssertEqual(
            try render("{{ items | sum }} {{ items | min }} {{ items | max }} {{ ['b', 'A'] | min }} {{ [{'v': 2}, {'v': 5}] | sum(attribute='v') }} {{ [{'v': 2}, {'v': 5}] | max(attribute='v') }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "6 1 3 A 7 {'v': 5}")
    }

    func testBatchAndSlice() throws {
        XCTAssertEqual(
            try render("{{ range(5) | batch(2) | list }} {{ range(5) | batch(2, 'x') | list }} {{ range(5) | slice(2) | list }}"),
            "[[0, 1], [2, 3], [4]] [[0, 1], [2, 3], [4, 'x']] [[0, 1, 2], [3, 4]]")
    }

    func testSafeAndEscape() throws {
        XCTAssertEqual(
            try render("{{ '<b>' | safe }} {{ '<a href=\"x\">\\'&' | escape }} {{ '<i>' | e }}"),
            "<b> &lt;a href=&#34;x&#34;&gt;&#39;&amp; &lt;i&gt;")
    }

    func testMarkupEscapesPlainStringsAddedToIt() throws {
        XCTAssertEqual(try render("{{ 'Use \\''|safe + '<tool>' + '\\' now'|safe }}"), "Use '&lt;tool&gt;' now")
    }

    func testCenterAndWordcountAndTruncate() throws {
        XCTAssertEqual(
            try render("[{{ 'ab' | center(6) }}] {{ 'one two, three' | wordcount }} {{ 'The quick brown fox jumps' | truncate(12) }} {{ 'The quick brown fox' | truncate(9, true) }}"),
            "[  ab  ] 3 The... The qu...")
    }

    func testFormatFilter() throws {
        XCTAssertEqual(
            try render("{{ '%s is %d years' | format('Ada', 36) }} {{ '%(a)s-%(b)s' | format(a=1, b=2) }}"),
            "Ada is 36 years 1-2")
    }

    func testAttrFilterReadsAttributesNotKeys() throws {
        XCTAssertEqual(
            try render("[{{ user | attr('name') }}] {{ 'abc' | attr('upper') is callable }}", context: "{\"items\": [3, 1, 2], \"user\": {\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}, \"text\": \"Hello World\", \"none\": null}"),
            "[] True")
    }
}
