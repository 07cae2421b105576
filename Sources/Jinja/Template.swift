// The public entry point: a parsed template that renders a context to text, as transformers renders chat templates.
import Foundation

/// A Jinja template parsed once and rendered any number of times, with Hugging Face's jinja2 settings: an
/// immutable sandbox, `trim_blocks` and `lstrip_blocks`, `{% break %}`/`{% continue %}`, `{% generation %}`,
/// a `tojson` that keeps non-ASCII text, and the globals `raise_exception(message)` and `strftime_now(format)`.
///
/// ```swift
/// let template = try Template("{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}", name: "chat")
/// let text = try template.render(["messages": try JinjaValue(json: #"[{"role": "user", "content": "Hi"}]"#)])
/// ```
///
/// Rendering is deterministic and side-effect free, so one `Template` can be shared across threads.
public struct Template: Sendable {
    /// The name used in error locations (`chat.jinja:3:17`).
    public let name: String
    private let body: [Stmt]

    /// Parses `source`.
    ///
    /// - Throws: ``TemplateError/syntax(message:location:)`` for invalid templates (with jinja2's wording), and for
    ///   an unknown filter or test outside an `if`, as jinja2 does at compile time.
    public init(_ source: String, name: String = "template") throws(TemplateError) {
        var lexer = Lexer(source: source, name: name)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens)
        let body = try parser.parseTemplate()
        try NameCheck.check(body)
        self.name = name
        self.body = body
    }

    /// Renders with `context` as the template's variables; `strftime_now` reads the current time.
    public func render(_ context: [String: JinjaValue]) throws(TemplateError) -> String {
        try render(context, now: Date())
    }

    /// Renders with `context`, with `strftime_now` reporting `now` (so output can be reproduced in tests).
    public func render(_ context: [String: JinjaValue], now: Date) throws(TemplateError) -> String {
        let interpreter = Interpreter(context: context, now: now, templateName: name)
        return try interpreter.render(body)
    }
}
