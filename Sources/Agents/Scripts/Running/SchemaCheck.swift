// Checks a value against a JSON Schema: the same subset the grammar compiler enforces (type, properties,
// required, items, enum, const, anyOf/oneOf, $ref, lengths, bounds, pattern and format). Constrained decoding makes a prompt
// step's reply fit by construction; this check covers what no grammar shaped (agent answers, tool output) and
// replies cut short by max_tokens.
import Foundation

/// Validation of JSON values against a schema.
public enum SchemaCheck {
    /// The first way `value` fails `schema`, as "$.path: problem", or nil when it conforms.
    public static func problem(with value: JSON, schema: JSON) -> String? {
        check(value, schema, path: "$", root: schema, depth: 0)
    }

    private static func check(_ value: JSON, _ schema: JSON, path: String, root: JSON, depth: Int) -> String? {
        guard depth < 64 else { return "\(path): the schema nests too deeply" }
        if case .bool(let allowed) = schema { return allowed ? nil : "\(path): no value is allowed here" }
        guard let s = schema.objectValue else { return nil }
        if let reference = s["$ref"]?.stringValue {
            guard let target = resolve(reference, in: root) else { return "\(path): unknown $ref \(reference)" }
            return check(value, target, path: path, root: root, depth: depth + 1)
        }
        if let options = (s["anyOf"] ?? s["oneOf"])?.arrayValue {
            let problems = options.map { check(value, $0, path: path, root: root, depth: depth + 1) }
            if problems.contains(where: { $0 == nil }) { return nil }
            return problems.compactMap { $0 }.first.map { "\($0) (and no other alternative fits)" }
        }
        if let all = s["allOf"]?.arrayValue {
            for part in all {
                if let p = check(value, part, path: path, root: root, depth: depth + 1) { return p }
            }
        }
        if let constant = s["const"], !equal(constant, value) {
            return "\(path): must be \(constant.text), found \(value.text.prefix(60))"
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            return "\(path): must be one of " + options.map(\.text).joined(separator: ", ")
                + ", found \(value.text.prefix(60))"
        }
        var types: [String] = []
        if let type = s["type"]?.stringValue { types = [type] }
        if let list = s["type"]?.arrayValue { types = list.compactMap(\.stringValue) }
        if s["nullable"]?.boolValue == true, !types.isEmpty { types.append("null") }
        if !types.isEmpty, !types.contains(where: { matches(value, type: $0) }) {
            return "\(path): expected " + types.map(article).joined(separator: " or ") + ", found \(value.typeDescription)"
        }
        switch value {
        case .string(let text):
            if let min = s["minLength"]?.intValue, text.count < min {
                return "\(path): shorter than \(min) characters"
            }
            if let max = s["maxLength"]?.intValue, text.count > max {
                return "\(path): longer than \(max) characters"
            }
            if let pattern = s["pattern"]?.stringValue, !matches(text, pattern: pattern) {
                return "\(path): does not match the pattern \(pattern)"
            }
            if let format = s["format"]?.stringValue, let pattern = formats[format],
               !matches(text, pattern: pattern) {
                return "\(path): is not a \(format)"
            }
        case .number(let n):
            if let min = s["minimum"]?.numberValue, n < min { return "\(path): below the minimum \(JSON.format(number: min))" }
            if let max = s["maximum"]?.numberValue, n > max { return "\(path): above the maximum \(JSON.format(number: max))" }
            if let min = s["exclusiveMinimum"]?.numberValue, n <= min {
                return "\(path): must be above \(JSON.format(number: min))"
            }
            if let max = s["exclusiveMaximum"]?.numberValue, n >= max {
                return "\(path): must be below \(JSON.format(number: max))"
            }
        case .array(let items):
            if let min = s["minItems"]?.intValue, items.count < min { return "\(path): fewer than \(min) items" }
            if let max = s["maxItems"]?.intValue, items.count > max { return "\(path): more than \(max) items" }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() {
                    if let p = check(item, itemSchema, path: "\(path)[\(i)]", root: root, depth: depth + 1) { return p }
                }
            }
        case .object(let object):
            let properties = s["properties"]?.objectValue ?? JSONObject()
            for name in (s["required"]?.arrayValue ?? []).compactMap(\.stringValue) where object[name] == nil {
                return "\(path): the key '\(name)' is missing"
            }
            for (key, member) in object.pairs {
                if let propertySchema = properties[key] {
                    if let p = check(member, propertySchema, path: path + "." + key, root: root, depth: depth + 1) {
                        return p
                    }
                } else if s["additionalProperties"] == .bool(false) {
                    return "\(path): the key '\(key)' is not allowed (allowed: "
                        + properties.keys.joined(separator: ", ") + ")"
                } else if let extra = s["additionalProperties"], extra.objectValue != nil {
                    if let p = check(member, extra, path: path + "." + key, root: root, depth: depth + 1) { return p }
                }
            }
        case .null, .bool:
            break
        }
        return nil
    }

    /// The formats the grammar compiler enforces, as anchored patterns.
    private static let formats: [String: String] = [
        "date": #"^\d{4}-\d{2}-\d{2}$"#,
        "time": #"^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"#,
        "date-time": #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"#,
        "uuid": #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#,
    ]

    /// Whether `pattern` matches somewhere in `text` (JSON Schema patterns are not anchored). A pattern this
    /// regex engine cannot read is not held against the value: the grammar already enforced it when decoding.
    private static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("null", .null), ("array", .array), ("object", .object),
             ("number", .number):
            return true
        case ("integer", .number(let n)):
            return n == n.rounded()
        default:
            return false
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "integer", "array", "object": return "an " + type
        case "null": return "null"
        default: return "a " + type
        }
    }

    /// Numbers compare by value, objects regardless of key order.
    private static func equal(_ a: JSON, _ b: JSON) -> Bool { a == b }

    /// `#/$defs/name` or `#/definitions/name`.
    private static func resolve(_ reference: String, in root: JSON) -> JSON? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSON? = root
        for part in reference.dropFirst(2).split(separator: "/") {
            node = node?[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }
}
