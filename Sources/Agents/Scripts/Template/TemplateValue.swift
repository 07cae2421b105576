// A YAML value whose strings are templates: a tool step's `arguments:` and a sub-script step's `vars:`.
// Numbers, booleans and nesting are kept; each string is evaluated like any other template.

/// A JSON-shaped value with a template in place of every string.
public indirect enum TemplateValue: Sendable, Equatable {
    case template(ScriptTemplate)
    /// A number, boolean or null, as written.
    case value(JSON)
    case array([TemplateValue])
    /// Keys in the order written.
    case object([String], [String: TemplateValue])

    /// The value in `scope`.
    public func evaluate(in scope: [String: JSON]) throws(ScriptError) -> JSON {
        switch self {
        case .template(let t): return try t.evaluate(in: scope)
        case .value(let v): return v
        case .array(let items):
            var result: [JSON] = []
            for item in items { result.append(try item.evaluate(in: scope)) }
            return .array(result)
        case .object(let keys, let members):
            var object = JSONObject()
            for key in keys {
                if let member = members[key] { object[key] = try member.evaluate(in: scope) }
            }
            return .object(object)
        }
    }

    /// Every template inside, in order.
    var templates: [ScriptTemplate] {
        switch self {
        case .template(let t): return [t]
        case .value: return []
        case .array(let items): return items.flatMap(\.templates)
        case .object(let keys, let members): return keys.flatMap { members[$0]?.templates ?? [] }
        }
    }
}
