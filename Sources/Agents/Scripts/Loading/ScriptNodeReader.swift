// Typed reads of a script's YAML nodes: every error names the file, line and column of the node and what was
// expected. Also converts YAML values to JSON (schemas, defaults, tool arguments) with YAML's own typing.
import Foundation
internal import Yams

/// Reads the nodes of one script file.
struct ScriptNodeReader {
    let file: String
    /// The file's lines, to place text inside block scalars.
    let lines: [Substring]

    init(file: String, text: String) {
        self.file = file
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// A mapping's entries in the order written, keys checked against `allowed` and for repeats.
    func entries(_ node: Node, key: String, context: String,
                 allowed: [String]?) throws(ScriptError) -> [(key: String, keyNode: Node, value: Node)] {
        guard let mapping = node.mapping else {
            throw ScriptError.invalidValue(location(node), key: key, expected: "a mapping of keys to values",
                                           found: describe(node))
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        var seen: [String: Int] = [:]
        for (k, v) in mapping {
            guard let scalar = k.scalar else {
                throw ScriptError.invalidValue(location(k), key: key, expected: "plain keys", found: describe(k))
            }
            let name = scalar.string
            if let allowed, !allowed.contains(name) {
                throw ScriptError.unknownKey(location(k), key: name, context: context, allowed: allowed)
            }
            if let first = seen[name] {
                throw ScriptError.invalidValue(location(k), key: name, expected: "given once",
                                               found: "a second '\(name)' (the first is on line \(first))")
            }
            seen[name] = k.mark?.line ?? 1
            result.append((name, k, v))
        }
        return result
    }

    /// Like `entries`, as a dictionary (for keys read in a fixed order).
    func mapping(_ node: Node, key: String, context: String,
                 allowed: [String]) throws(ScriptError) -> [String: Node] {
        var result: [String: Node] = [:]
        for entry in try entries(node, key: key, context: context, allowed: allowed) { result[entry.key] = entry.value }
        return result
    }

    func string(_ node: Node, key: String) throws(ScriptError) -> String {
        guard let scalar = node.scalar, Self.tag(node) != .null || scalar.style != .plain else {
            throw ScriptError.invalidValue(location(node), key: key, expected: "a text", found: describe(node))
        }
        return scalar.string
    }

    /// A name made of ASCII letters, digits, '-' and '_', starting with a letter or '_' (usable in templates).
    func identifier(_ node: Node, key: String) throws(ScriptError) -> String {
        let value = try string(node, key: key)
        try checkIdentifier(value, at: location(node), key: key)
        return value
    }

    func checkIdentifier(_ value: String, at location: SourceLocation, key: String) throws(ScriptError) {
        guard let first = value.first, first == "_" || (first.isASCII && first.isLetter),
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ScriptError.invalidValue(location, key: key,
                                           expected: "a name of letters, digits, '-' and '_' starting with a letter",
                                           found: "'\(value)'")
        }
    }

    func stringList(_ node: Node, key: String) throws(ScriptError) -> [String] {
        if node.scalar != nil { return [try string(node, key: key)] }
        guard let sequence = node.sequence else {
            throw ScriptError.invalidValue(location(node), key: key, expected: "a list of texts", found: describe(node))
        }
        var result: [String] = []
        for item in sequence { result.append(try string(item, key: key)) }
        return result
    }

    func int(_ node: Node, key: String, minimum: Int) throws(ScriptError) -> Int {
        guard let scalar = node.scalar, scalar.style == .plain,
              let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")), value >= minimum else {
            throw ScriptError.invalidValue(location(node), key: key, expected: "a whole number ≥ \(minimum)",
                                           found: describe(node))
        }
        return value
    }

    func number(_ node: Node, key: String, minimum: Double) throws(ScriptError) -> Double {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Double(scalar.string), value.isFinite,
              value >= minimum else {
            throw ScriptError.invalidValue(location(node), key: key,
                                           expected: "a number ≥ \(JSON.format(number: minimum))", found: describe(node))
        }
        return value
    }

    func bool(_ node: Node, key: String) throws(ScriptError) -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true"?, "yes"?, "on"?: return true
        case "false"?, "no"?, "off"?: return false
        default:
            throw ScriptError.invalidValue(location(node), key: key, expected: "true or false", found: describe(node))
        }
    }

    /// A string value parsed as a template.
    func template(_ node: Node, key: String) throws(ScriptError) -> ScriptTemplate {
        let text = try string(node, key: key)
        return try ScriptTemplate(text, locator: TextLocator(node: node, file: file, lines: lines))
    }

    /// The node as JSON: plain scalars typed as YAML types them (null, booleans, numbers), quoted ones are text.
    func json(_ node: Node) throws(ScriptError) -> JSON {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
            switch Self.tag(node) {
            case .null: return .null
            case .bool: return node.bool.map { .bool($0) } ?? .string(scalar.string)
            case .int: return node.int.map { .number(Double($0)) } ?? .string(scalar.string)
            case .float:
                guard let value = node.float, value.isFinite else { return .string(scalar.string) }
                return .number(value)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSON] = []
            for item in sequence { items.append(try json(item)) }
            return .array(items)
        case .mapping:
            var object = JSONObject()
            for entry in try entries(node, key: "value", context: "a value", allowed: nil) {
                object[entry.key] = try json(entry.value)
            }
            return .object(object)
        }
    }

    /// The node as a value whose strings are templates.
    func templateValue(_ node: Node, key: String) throws(ScriptError) -> TemplateValue {
        switch node {
        case .scalar(let scalar):
            let value = try json(node)
            guard case .string = value else { return .value(value) }
            return .template(try ScriptTemplate(scalar.string, locator: TextLocator(node: node, file: file, lines: lines)))
        case .sequence(let sequence):
            var items: [TemplateValue] = []
            for item in sequence { items.append(try templateValue(item, key: key)) }
            return .array(items)
        case .mapping:
            var keys: [String] = []
            var members: [String: TemplateValue] = [:]
            for entry in try entries(node, key: key, context: "'\(key)'", allowed: nil) {
                keys.append(entry.key)
                members[entry.key] = try templateValue(entry.value, key: key + "." + entry.key)
            }
            return .object(keys, members)
        }
    }

    /// The resolved YAML type of a node (Yams keeps the tag's name internal; its description is the name).
    static func tag(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.description) }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            if s.style == .plain && Self.tag(node) == .null { return "nothing" }
            return "'\(s.string.count > 60 ? String(s.string.prefix(60)) + "…" : s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}
