// Thousands of corrupted chat templates (fixed seed): parsing and rendering either succeed or throw a
// TemplateError that names the template, line and column; nothing crashes, nothing hangs.
import Foundation
import Jinja
import TestSupport
import XCTest

final class MutationTests: XCTestCase {
    /// Templates in the shapes real chat templates take: loops over messages, macros, namespaces, filters, tests,
    /// string methods, whitespace control and `raise_exception`.
    static let seeds: [String] = [
        (try? TestResources.repositoryText("prompts/templates/chatml.jinja")) ?? "{{ messages }}",
        """
        {{- bos_token }}
        {%- if messages[0]['role'] == 'system' %}{% set system = messages[0]['content'] %}{% set rest = messages[1:] %}
        {%- else %}{% set system = 'You are helpful.' %}{% set rest = messages %}{% endif %}
        <|system|>{{ system | trim }}
        {%- for message in rest %}
            {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
                {{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}
            {%- endif %}
        <|{{ message.role }}|>{{ message.content | default('', true) }}{% if not loop.last %}\n{% endif %}
        {%- endfor %}
        {%- if add_generation_prompt %}<|assistant|>{% endif %}
        """,
        """
        {%- macro render_tool(tool, indent=2) -%}
        {{ tool.function.name }}: {{ tool.function | tojson(indent=indent) }}
        {%- endmacro -%}
        {%- set ns = namespace(found=false, count=0) -%}
        {%- for tool in tools if tool.type == 'function' -%}
          {%- set ns.count = ns.count + 1 -%}{{ render_tool(tool) }}
        {%- endfor -%}
        {%- for m in messages | selectattr('role', 'equalto', 'user') | list -%}
          {%- if m.content is string and m.content.startswith('/') %}{% set ns.found = true %}{% endif -%}
          [{{ loop.index }}/{{ loop.length }}] {{ m.content.split(' ') | join('_') | upper }}
        {%- else -%}no user messages{%- endfor -%}
        {{ ns.count }} tools, {{ '%05.1f' | format(3.14159) }} {{ [1, 2, 3] | map('string') | join(',') }}
        {{ messages | length }} {{ (messages | last).role if messages else 'none' }} {{ ns.found }}
        {{- strftime_now('%Y-%m-%d') }}
        """,
        """
        {% for key, value in {'a': 1, 'b': [2, 3], 'c': {'d': none}} | dictsort %}{{ key }}={{ value }}{% endfor %}
        {% set items = range(3) | list %}{{ items | sum }} {{ items[::-1] }} {{ 'x' * 3 }} {{ 7 // 2 }} {{ 2 ** 5 }}
        {% if 'a' in 'abc' and not false or none is none %}yes{% elif true %}no{% else %}never{% endif %}
        {{ "q\\"uote" ~ 'single' | replace('s', 'S') | title }} {{ messages[0].content[:5] | e }}
        {% filter upper %}filtered {{ 1 + 2 * 3 - 4 / 2 }}{% endfilter %}{# comment #}
        {% with x = 5 %}{{ x is divisibleby 5 }}{% endwith %}{% raw %}{{ not parsed }}{% endraw %}
        """,
    ]

    static let dictionary = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", "for ", "endfor", "if ", "endif", "else",
        "elif ", "set ", "macro ", "endmacro", "call", "filter ", "endfilter", " in ", " not ", " is ", "loop.",
        "(", ")", "[", "]", "{", "}", "|", ".", ",", ":", "'", "\"", "~", "*", "**", "//", "%", "+", "-", "==",
        "recursive", "namespace(", "range(99999)", "raise_exception(", "messages", "tojson", "indent(", "format(",
        "\\", "\n", " ", "0", "-1", "none", "true", "break", "continue", "generation", "endgeneration",
    ]

    /// The context a chat template gets: messages (with a tool call), tools, and the usual flags.
    static func context() throws -> [String: JinjaValue] {
        let json = """
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "/help me"},
          {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "f", "arguments": {"x": 1}}}]},
          {"role": "user", "content": "Hi there, how are you?"}],
         "tools": [{"type": "function", "function": {"name": "calc", "parameters": {"type": "object"}}}],
         "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>"}
        """
        guard case .object(let object) = try JinjaValue(json: json) else { return [:] }
        var variables: [String: JinjaValue] = [:]
        for (key, value) in object.pairs { variables[key] = value }
        return variables
    }

    /// A refusal names where: the template, line and column (or it is the template's own raise_exception).
    static func located(_ error: TemplateError) -> Bool {
        if case .raised = error { return true }
        guard let location = error.location else { return false }
        return location.line >= 1 && location.column >= 1
            && error.description.contains("mutated.jinja:\(location.line):\(location.column)")
    }

    func testMutatedTemplatesParseAndRenderOrThrowALocatedError() throws {
        let context = try Self.context()
        let now = Date(timeIntervalSince1970: 1_732_000_000)
        var parsed = 0
        let mutator = TextMutator(seeds: Self.seeds, dictionary: Self.dictionary)
        let report = mutator.run(count: 5000, seed: 0x4A1_4A) { source in
            do {
                let template = try Template(source, name: "mutated.jinja")
                parsed += 1
                _ = try template.render(context, now: now)
                return .accepted
            } catch let error as TemplateError {
                return .refused(message: error.description, located: Self.located(error))
            } catch {
                return .refused(message: "not a TemplateError: \(error)", located: false)
            }
        }
        XCTAssertTrue(report.unlocated.isEmpty, "refusals without a location: \(report.unlocated)")
        XCTAssertGreaterThan(report.refused, 1000, "most corruptions must be refused")
        XCTAssertGreaterThan(report.accepted, 200, "some corruptions still render")
        XCTAssertGreaterThan(parsed, report.accepted, "some parse and fail while rendering")
        XCTAssertLessThan(report.slowest, HangLimit.seconds(2), "slowest input: \(report.slowestInput)")
    }

    func testSeedsRenderUnmutated() throws {
        let context = try Self.context()
        for seed in Self.seeds {
            XCTAssertNoThrow(try Template(seed, name: "seed.jinja").render(context))
        }
    }

    func testDeepNestingIsRefusedWithALocation() {
        let source = String(repeating: "{% if true %}", count: 5000) + "x" + String(repeating: "{% endif %}", count: 5000)
        XCTAssertThrowsError(try Template(source, name: "deep.jinja").render([:])) { error in
            guard let error = error as? TemplateError else { return XCTFail("\(error)") }
            XCTAssertNotNil(error.location, error.description)
        }
        let brackets = "{{ " + String(repeating: "[", count: 100_000) + " }}"
        XCTAssertThrowsError(try Template(brackets, name: "deep.jinja")) { error in
            guard let error = error as? TemplateError else { return XCTFail("\(error)") }
            XCTAssertNotNil(error.location, error.description)
        }
    }
}
