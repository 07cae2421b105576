// Python's jinja2 configured exactly as Hugging Face transformers configures it for chat templates: the oracle
// the template conformance tests compare our renderer against.
import Foundation
import Jinja
import TestSupport
import XCTest

/// Renders batches of (template file, context) cases with Python jinja2 in one process.
enum TemplateOracle {
    /// What Python produced for one case.
    enum Outcome: Equatable {
        case text(String)
        /// The exception's class name (`TemplateError` for `raise_exception`) and `str(exception)`.
        case error(type: String, message: String)
    }

    /// One case: the template file to read and the JSON context to render it with.
    struct Case {
        let templatePath: String
        let context: [String: JinjaValue]
    }

    /// Mirrors transformers' `_compile_jinja_template` (utils/chat_template_utils.py): an
    /// ImmutableSandboxedEnvironment with trim_blocks, lstrip_blocks, loopcontrols and a `generation` block, the
    /// non-ASCII-preserving `tojson`, `raise_exception` and `strftime_now` (pinned to the request's `now`).
    static let script = #"""
        import json, sys, datetime
        import jinja2
        from jinja2 import nodes
        from jinja2.ext import Extension
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        class AssistantTracker(Extension):
            tags = {"generation"}
            def parse(self, parser):
                lineno = next(parser.stream).lineno
                body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
                return nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)
            def _generation_support(self, caller):
                return caller()

        request = json.load(sys.stdin)
        now = datetime.datetime.fromtimestamp(request["now"])

        def raise_exception(message):
            raise jinja2.exceptions.TemplateError(message)

        def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
            return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

        def strftime_now(format):
            return now.strftime(format)

        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                            extensions=[AssistantTracker, jinja2.ext.loopcontrols])
        env.filters["tojson"] = tojson
        env.globals["raise_exception"] = raise_exception
        env.globals["strftime_now"] = strftime_now

        compiled = {}
        results = []
        for case in request["cases"]:
            path = case["template"]
            try:
                if path not in compiled:
                    try:
                        with open(path, encoding="utf-8", newline="") as f:
                            compiled[path] = env.from_string(f.read())
                    except Exception as e:
                        compiled[path] = e
                template = compiled[path]
                if isinstance(template, Exception):
                    raise template
                results.append({"text": template.render(**case["context"])})
            except Exception as e:
                results.append({"type": type(e).__name__, "message": str(e)})
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            json.dump({"jinja2": jinja2.__version__, "results": results}, f, ensure_ascii=True)
        """#

    /// Renders every case with Python; `now` is what `strftime_now` reports.
    static func render(_ cases: [Case], now: Date) throws -> (version: String, outcomes: [Outcome]) {
        var request = JinjaObject()
        request["now"] = .int(Int(now.timeIntervalSince1970))
        request["cases"] = .array(cases.map { c in
            var context = JinjaObject()
            for key in c.context.keys.sorted() { context[key] = c.context[key] }
            return ["template": .string(c.templatePath), "context": .object(context)]
        })
        guard let json = JinjaValue.object(request).jsonString() else {
            throw XCTSkip("context not serialisable")  // cannot happen for JSON-built contexts
        }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenworks-jinja-oracle-\(ProcessInfo.processInfo.processIdentifier).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, log) = TestResources.python(script, arguments: [output.path], stdin: json)
        guard status == 0, let data = FileManager.default.contents(atPath: output.path) else {
            XCTFail("Python jinja2 oracle failed (exit \(status)); is jinja2 installed (pip install jinja2)?\n\(log)")
            return ("", [])
        }
        guard case .object(let answer) = try JinjaValue(json: String(decoding: data, as: UTF8.self)),
            case .array(let results)? = answer["results"]
        else {
            XCTFail("unreadable oracle output")
            return ("", [])
        }
        let outcomes: [Outcome] = results.map { r in
            guard case .object(let o) = r else { return .error(type: "?", message: "?") }
            if let text = o["text"]?.stringValue { return .text(text) }
            return .error(type: o["type"]?.stringValue ?? "?", message: o["message"]?.stringValue ?? "")
        }
        return (answer["jinja2"]?.stringValue ?? "?", outcomes)
    }
}
