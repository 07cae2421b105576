// Evaluating template expressions on the values a script run has produced: member access (a string that holds
// JSON is read as JSON, so an agent's JSON answer can be taken apart), the filters, comparison and `not`.
import Foundation

extension TemplateExpression {
    /// The expression's value in `scope`; errors name the place of the expression in the script.
    func evaluate(in scope: [String: JSON], at location: SourceLocation) throws(ScriptError) -> JSON {
        switch self {
        case .literal(let value):
            return value
        case .path(let root, let members):
            guard var value = scope[root] else {
                throw ScriptError.unknownName(location, name: root, known: scope.keys.sorted())
            }
            var shown = root
            for member in members {
                value = try Self.member(member, of: value, named: shown, at: location)
                shown += "." + member
            }
            return value
        case .not(let inner):
            return .bool(!(try inner.evaluate(in: scope, at: location).isTruthy))
        case .equals(let a, let b, let negated):
            let same = Self.same(try a.evaluate(in: scope, at: location), try b.evaluate(in: scope, at: location))
            return .bool(same != negated)
        case .filter(let inner, let name, let argument):
            return try Self.apply(name, argument: argument, to: try inner.evaluate(in: scope, at: location),
                                  at: location)
        }
    }

    /// `value.member`: an object's key or a list's index; a string holding JSON is parsed first.
    static func member(_ member: String, of value: JSON, named: String,
                       at location: SourceLocation) throws(ScriptError) -> JSON {
        switch value {
        case .object(let object):
            guard let found = object[member] else {
                let keys = object.keys.isEmpty ? "it has none" : "it has " + object.keys.joined(separator: ", ")
                throw ScriptError.evaluation(location, problem: "'\(named)' has no member '\(member)' (\(keys))")
            }
            return found
        case .array(let items):
            guard let index = Int(member) else {
                throw ScriptError.evaluation(location, problem: "'\(named)' is a list: use an index such as "
                                             + "\(named).0, not '\(member)'")
            }
            guard index < items.count else {
                throw ScriptError.evaluation(location, problem: "'\(named)' has \(items.count) items, so there is "
                                             + "no item \(index) (indices start at 0)")
            }
            return items[index]
        case .string(let text):
            if let parsed = try? JSON(parsing: text), parsed.objectValue != nil || parsed.arrayValue != nil {
                return try Self.member(member, of: parsed, named: named, at: location)
            }
            fallthrough
        default:
            throw ScriptError.evaluation(location, problem: "'\(named)' is \(value.typeDescription), not an object "
                                         + "or a list, so it has no member '\(member)'")
        }
    }

    static func same(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return x.trimmingCharacters(in: .whitespacesAndNewlines) == y.trimmingCharacters(in: .whitespacesAndNewlines)
        case (.number, .number), (.bool, .bool), (.null, .null), (.array, .array), (.object, .object):
            return a == b
        default:
            return a.templateText.trimmingCharacters(in: .whitespacesAndNewlines)
                == b.templateText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static func apply(_ filter: String, argument: JSON?, to value: JSON,
                      at location: SourceLocation) throws(ScriptError) -> JSON {
        switch filter {
        case "json":
            return .string(value.text)
        case "lines":
            if case .array = value { return value }
            return .array(Self.lines(of: value.templateText).map { .string($0) })
        case "files":
            return .array(Self.lines(of: value.templateText).compactMap(Self.fileName).map { .string($0) })
        case "trim":
            guard case .string(let s) = value else { return value }
            return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
        case "length":
            switch value {
            case .array(let a): return .number(Double(a.count))
            case .object(let o): return .number(Double(o.count))
            case .null: return .number(0)
            default: return .number(Double(value.templateText.count))
            }
        case "join":
            let separator = argument?.templateText ?? "\n"
            guard case .array(let items) = value else { return .string(value.templateText) }
            return .string(items.map(\.templateText).joined(separator: separator))
        case "lower":
            return .string(value.templateText.lowercased())
        case "upper":
            return .string(value.templateText.uppercased())
        case "first", "last":
            guard case .array(let items) = value else {
                throw ScriptError.evaluation(location, problem: "'\(filter)' needs a list, found \(value.typeDescription)")
            }
            return (filter == "first" ? items.first : items.last) ?? .null
        default:
            throw ScriptError.evaluation(location, problem: "unknown filter '\(filter)'")
        }
    }

    /// The non-empty lines of `text`, trimmed.
    static func lines(of text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The file name of one line of a `list_dir` result ("notes.txt (120 bytes)"), nil for folders ("docs/"),
    /// links, special files and the tool's remarks.
    static func fileName(_ line: String) -> String? {
        if line.hasSuffix("/") || line.hasPrefix("[") || line.hasSuffix("(special file)")
            || line.hasSuffix("(symbolic link, not followed)") || line.hasSuffix("' is empty") { return nil }
        guard line.hasSuffix(" bytes)"), let open = line.range(of: " (", options: .backwards) else { return line }
        return String(line[..<open.lowerBound])
    }
}

extension JSON {
    /// The value written into text: strings as they are, null as nothing, everything else as JSON.
    public var templateText: String {
        switch self {
        case .string(let s): return s
        case .null: return ""
        default: return text
        }
    }

    /// Whether a `when:` condition holds: false, null, 0, empty text, empty lists and objects, and the texts
    /// "false", "no" and "0" (any case, spaces ignored) do not; everything else does.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return !["", "false", "no", "0"].contains(t)
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }
}
