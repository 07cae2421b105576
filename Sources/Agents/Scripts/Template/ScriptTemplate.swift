// A string of a script with `{{ … }}` expressions in it: prompts, tasks, tool arguments, conditions, lists to
// map over. Parsed when the script loads (syntax and names are checked then); evaluated when its step runs.

/// Text with embedded expressions.
///
/// A value that is exactly one expression (`"{{ plan.tasks }}"`, spaces around allowed) evaluates to that
/// expression's value with its type — a list stays a list, an object an object. Anything else is text: each
/// expression is written into it (strings as they are, numbers and booleans as JSON, null as nothing, lists
/// and objects as JSON text).
public struct ScriptTemplate: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case text(String)
        case expression(TemplateExpression, SourceLocation)
    }

    /// The text as written in the script.
    public let source: String
    let parts: [Part]
    /// Where the text starts.
    public let location: SourceLocation

    /// Parses `source`, whose first character is at `locator`'s place.
    init(_ source: String, locator: TextLocator) throws(ScriptError) {
        self.source = source
        let characters = Array(source)
        location = locator.location(at: 0, in: characters)
        var parts: [Part] = []
        var text = ""
        var i = 0
        while i < characters.count {
            if characters[i] == "{", i + 1 < characters.count, characters[i + 1] == "{" {
                guard let end = Self.closing(characters, from: i + 2) else {
                    throw ScriptError.templateSyntax(locator.location(at: i, in: characters),
                                                     problem: "'{{' is not closed with '}}'")
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                let inner = String(characters[(i + 2)..<end])
                let expression = try TemplateExpression.parse(inner, base: i + 2, source: characters, locator: locator)
                parts.append(.expression(expression, locator.location(at: i, in: characters)))
                i = end + 2
            } else {
                text.append(characters[i])
                i += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// Parses a template given outside a script file (code, the command line); places count from line 1,
    /// column 1 of `file`.
    public init(parsing source: String, file: String = "<template>") throws(ScriptError) {
        try self.init(source, locator: TextLocator(file: file, line: 1, column: 1, continuationColumn: 1))
    }

    /// A template of plain text (no expressions), for values given in code.
    public init(literal text: String, location: SourceLocation) {
        source = text
        parts = text.isEmpty ? [] : [.text(text)]
        self.location = location
    }

    /// The index of the `}}` closing an expression that starts at `start` (quoted strings may contain `}}`).
    private static func closing(_ characters: [Character], from start: Int) -> Int? {
        var i = start
        var quote: Character?
        while i < characters.count {
            let c = characters[i]
            if let q = quote {
                if c == "\\" { i += 1 } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "}", i + 1 < characters.count, characters[i + 1] == "}" {
                return i
            }
            i += 1
        }
        return nil
    }

    /// Whether the template is one expression and nothing else but spaces (its value keeps its type).
    var singleExpression: (TemplateExpression, SourceLocation)? {
        var found: (TemplateExpression, SourceLocation)?
        for part in parts {
            switch part {
            case .text(let t) where t.allSatisfy(\.isWhitespace): continue
            case .text: return nil
            case .expression(let e, let at):
                if found != nil { return nil }
                found = (e, at)
            }
        }
        return found
    }

    /// Whether the template has any expression.
    public var hasExpressions: Bool {
        parts.contains { if case .expression = $0 { return true } else { return false } }
    }

    /// Every name the template reads, with the place of its `{{`.
    var references: [(name: String, location: SourceLocation)] {
        parts.flatMap { part -> [(name: String, location: SourceLocation)] in
            guard case .expression(let e, let at) = part else { return [] }
            return e.roots.map { ($0, at) }
        }
    }

    /// The template's value in `scope`: typed for a single expression, text otherwise.
    public func evaluate(in scope: [String: JSON]) throws(ScriptError) -> JSON {
        if let (expression, at) = singleExpression { return try expression.evaluate(in: scope, at: at) }
        return .string(try render(in: scope))
    }

    /// The template as text in `scope`.
    public func render(in scope: [String: JSON]) throws(ScriptError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .expression(let e, let at): out += try e.evaluate(in: scope, at: at).templateText
            }
        }
        return out
    }
}
