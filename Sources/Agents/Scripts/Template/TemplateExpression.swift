// What goes inside `{{ … }}` in a script: a name with members (`plan.tasks.0`), literals, filters
// (`listing | files`), `==`/`!=` and `not`. Parsed once when the script loads, so typos fail before any model runs.
import Foundation

/// One expression of the script template language (see examples/README.md for the user's description).
public indirect enum TemplateExpression: Sendable, Equatable {
    /// An input, an earlier step's output or a loop variable, then members: keys of objects or list indices.
    case path(root: String, members: [String])
    case literal(JSON)
    /// `value | name` or `value | name(argument)`.
    case filter(TemplateExpression, name: String, argument: JSON?)
    case not(TemplateExpression)
    /// `==` (or `!=` when `negated`).
    case equals(TemplateExpression, TemplateExpression, negated: Bool)

    /// The filters there are, with what each does (for error messages and the documentation).
    public static let filterNames = ["json", "lines", "files", "trim", "length", "join", "lower", "upper", "first",
                                     "last"]

    /// The root names this expression reads, each with its offset in the expression text.
    var roots: [String] {
        switch self {
        case .path(let root, _): return [root]
        case .literal: return []
        case .filter(let inner, _, _), .not(let inner): return inner.roots
        case .equals(let a, let b, _): return a.roots + b.roots
        }
    }

    /// Parses the text between `{{` and `}}`, which starts at character `base` of the template `source`.
    static func parse(_ text: String, base: Int, source: [Character],
                      locator: TextLocator) throws(ScriptError) -> TemplateExpression {
        var parser = ExpressionParser(characters: Array(text), base: base, source: source, locator: locator)
        let expression = try parser.expression()
        parser.skipSpaces()
        guard parser.atEnd else {
            throw parser.failure("unexpected '\(parser.rest(8).trimmingCharacters(in: .whitespaces))' after the expression")
        }
        return expression
    }
}

/// A recursive-descent reader of one expression:
/// `expr := 'not' expr | pipe (('==' | '!=') pipe)?`, `pipe := primary ('|' NAME ('(' literal ')')?)*`,
/// `primary := literal | NAME ('.' (NAME | DIGITS))* | '(' expr ')'`.
private struct ExpressionParser {
    let characters: [Character]
    /// Where the expression starts in the whole template, and the template, to place errors in the file.
    let base: Int
    let source: [Character]
    let locator: TextLocator
    var position = 0

    func locate(_ offset: Int) -> SourceLocation { locator.location(at: base + offset, in: source) }

    var atEnd: Bool { position >= characters.count }
    var current: Character? { atEnd ? nil : characters[position] }

    func rest(_ count: Int) -> String { String(characters[position..<min(characters.count, position + count)]) }

    func failure(_ problem: String) -> ScriptError { .templateSyntax(locate(position), problem: problem) }

    mutating func skipSpaces() {
        while let c = current, c.isWhitespace { position += 1 }
    }

    mutating func consume(_ text: String) -> Bool {
        skipSpaces()
        let wanted = Array(text)
        guard position + wanted.count <= characters.count,
              Array(characters[position..<position + wanted.count]) == wanted else { return false }
        position += wanted.count
        return true
    }

    static func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
    static func isNamePart(_ c: Character) -> Bool { isNameStart(c) || (c.isASCII && c.isNumber) || c == "-" }

    mutating func name() -> String? {
        skipSpaces()
        guard let c = current, Self.isNameStart(c) else { return nil }
        let start = position
        while let c = current, Self.isNamePart(c) { position += 1 }
        return String(characters[start..<position])
    }

    /// A name that is a whole word (so `nothing` is not `not` + `hing`).
    mutating func keyword(_ word: String) -> Bool {
        let saved = position
        if let n = name(), n == word { return true }
        position = saved
        return false
    }

    mutating func expression() throws(ScriptError) -> TemplateExpression {
        if keyword("not") { return .not(try expression()) }
        let left = try pipe()
        if consume("==") { return .equals(left, try pipe(), negated: false) }
        if consume("!=") { return .equals(left, try pipe(), negated: true) }
        return left
    }

    mutating func pipe() throws(ScriptError) -> TemplateExpression {
        var value = try primary()
        while consume("|") {
            skipSpaces()
            let at = position
            guard let filter = name() else { throw failure("a filter name must follow '|'") }
            guard TemplateExpression.filterNames.contains(filter) else {
                throw ScriptError.templateSyntax(locate(at), problem: "unknown filter '\(filter)'; filters: "
                                                 + TemplateExpression.filterNames.joined(separator: ", "))
            }
            var argument: JSON?
            if consume("(") {
                argument = try literal()
                guard consume(")") else { throw failure("')' expected after the filter's argument") }
            }
            value = .filter(value, name: filter, argument: argument)
        }
        return value
    }

    mutating func primary() throws(ScriptError) -> TemplateExpression {
        skipSpaces()
        guard let c = current else { throw failure("an expression is missing") }
        if c == "(" {
            position += 1
            let inner = try expression()
            guard consume(")") else { throw failure("')' expected") }
            return inner
        }
        if c == "\"" || c == "'" || c == "-" || c.isNumber { return .literal(try literal()) }
        let saved = position
        guard let root = name() else { throw failure("a name, a number or a quoted string expected, found '\(c)'") }
        switch root {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null", "none": return .literal(.null)
        case "not":
            position = saved
            throw failure("'not' must start the expression")
        default: break
        }
        var members: [String] = []
        while let dot = current, dot == "." {
            position += 1
            if let c = current, c.isASCII, c.isNumber {
                let start = position
                while let d = current, d.isASCII, d.isNumber { position += 1 }
                members.append(String(characters[start..<position]))
            } else if let member = name() {
                members.append(member)
            } else {
                throw failure("a member name or a list index must follow '.'")
            }
        }
        return .path(root: root, members: members)
    }

    mutating func literal() throws(ScriptError) -> JSON {
        skipSpaces()
        guard let quote = current else { throw failure("a value is missing") }
        if quote == "\"" || quote == "'" {
            position += 1
            var text = ""
            while let c = current, c != quote {
                if c == "\\", position + 1 < characters.count {
                    position += 1
                    switch characters[position] {
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    default: text.append(characters[position])
                    }
                } else {
                    text.append(c)
                }
                position += 1
            }
            guard current == quote else { throw failure("the string is not closed with \(quote)") }
            position += 1
            return .string(text)
        }
        let start = position
        if current == "-" { position += 1 }
        while let c = current, c.isASCII, c.isNumber || c == "." { position += 1 }
        guard let number = Double(String(characters[start..<position])) else {
            position = start
            throw failure("a number or a quoted string expected")
        }
        return .number(number)
    }
}
