// The recursive walk behind `JSONSchemaGrammar`: one expression per schema node, shared rules for the JSON
// primitives, and named rules for `$ref` targets (so recursive schemas work) and for property values.

struct SchemaConverter {
    let root: OrderedJSON
    let options: JSONSchemaGrammar.Options
    var builder = GrammarBuilder()
    private var refRules: [String: String] = [:]

    /// Keywords that only document a schema; they never change what is valid.
    static let annotations: Set<String> = [
        "title", "description", "default", "examples", "$schema", "$id", "$comment", "deprecated", "readOnly",
        "writeOnly", "$defs", "definitions",
    ]
    /// Keywords the converter implements.
    static let supported: Set<String> = [
        "type", "nullable", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    ]
    /// Keywords that only constrain strings; a schema with one of them and no `type` is taken as a string.
    static let stringKeywords = ["pattern", "format", "minLength", "maxLength"]

    init(root: OrderedJSON, options: JSONSchemaGrammar.Options) {
        self.root = root
        self.options = options
    }

    // MARK: - Schema nodes

    /// The expression for `schema` at JSON path `path`; `name` seeds the names of any rules it needs.
    mutating func expression(for schema: OrderedJSON, path: String, name: String) throws(GrammarError)
        -> GrammarExpression {
        switch schema {
        case .bool(true): return primitive("value")
        case .bool(false): throw .invalidSchema(path: path, message: "the schema 'false' matches nothing")
        case .object: break
        default: throw .invalidSchema(path: path, message: "a schema must be an object or a boolean")
        }
        guard case .object(let members) = schema else { return primitive("value") }
        for m in members where !Self.annotations.contains(m.key) && !Self.supported.contains(m.key) {
            throw .unsupportedSchemaKeyword(keyword: m.key, path: path)
        }
        if case .string(let ref)? = schema["$ref"] { return .rule(try refRule(ref, path: path)) }
        if schema["$ref"] != nil { throw .invalidSchema(path: path, message: "'$ref' must be a string") }
        var expression = try valueExpression(schema, path: path, name: name)
        if case .bool(true)? = schema["nullable"] { expression = .choice([expression, primitive("null")]) }
        return expression
    }

    private mutating func valueExpression(_ schema: OrderedJSON, path: String, name: String) throws(GrammarError)
        -> GrammarExpression {
        if let value = schema["const"] { return .literal(value.compactText) }
        if let value = schema["enum"] {
            guard case .array(let items) = value, !items.isEmpty else {
                throw .invalidSchema(path: path + ".enum", message: "'enum' must be a non-empty array")
            }
            return .choice(items.map { .literal($0.compactText) })
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let value = schema[keyword] else { continue }
            guard case .array(let items) = value, !items.isEmpty else {
                throw .invalidSchema(path: path + "." + keyword, message: "'\(keyword)' must be a non-empty array")
            }
            var alternatives: [GrammarExpression] = []
            for (i, item) in items.enumerated() {
                alternatives.append(try expression(for: item, path: "\(path).\(keyword)[\(i)]",
                                                   name: "\(name)-\(i)"))
            }
            return .choice(alternatives)
        }
        if let value = schema["allOf"] {
            guard case .array(let items) = value, items.count == 1 else {
                throw .unsupportedSchemaKeyword(keyword: "allOf", path: path)
            }
            return try expression(for: items[0], path: path + ".allOf[0]", name: name)
        }
        let types: [String]
        switch schema["type"] {
        case .string(let t)?: types = [t]
        case .array(let list)?:
            types = try list.map { (t: OrderedJSON) throws(GrammarError) -> String in
                guard case .string(let s) = t else {
                    throw .invalidSchema(path: path + ".type", message: "'type' entries must be strings")
                }
                return s
            }
        case nil:
            if schema["properties"] != nil || schema["additionalProperties"] != nil { types = ["object"] }
            else if schema["items"] != nil { types = ["array"] }
            else if Self.stringKeywords.contains(where: { schema[$0] != nil }) { types = ["string"] }
            else { return primitive("value") }
        default:
            throw .invalidSchema(path: path + ".type", message: "'type' must be a string or an array of strings")
        }
        var alternatives: [GrammarExpression] = []
        for t in types {
            alternatives.append(try typed(t, schema, path: path, name: types.count > 1 ? "\(name)-\(t)" : name))
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    private mutating func typed(_ type: String, _ schema: OrderedJSON, path: String, name: String)
        throws(GrammarError) -> GrammarExpression {
        switch type {
        case "string": return try string(schema, path: path)
        case "integer": return try integer(schema, path: path)
        case "number":
            for k in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] where schema[k] != nil {
                throw .unsupportedSchemaKeyword(keyword: k, path: path)
            }
            return primitive("number")
        case "boolean": return primitive("boolean")
        case "null": return primitive("null")
        case "object": return try object(schema, path: path, name: name)
        case "array": return try array(schema, path: path, name: name)
        default:
            throw .invalidSchema(path: path + ".type", message: "unknown type '\(type)'")
        }
    }

    private mutating func string(_ schema: OrderedJSON, path: String) throws(GrammarError) -> GrammarExpression {
        let minLength = try count(schema, "minLength", path: path) ?? 0
        let maxLength = try count(schema, "maxLength", path: path)
        if let pattern = try pattern(schema, path: path) {
            // A grammar cannot intersect a regex with a length range; it can check that the pattern already
            // keeps within it, which is what a pattern written with `{m,n}` does.
            let lengths = pattern.lengthRange
            if lengths.min < minLength || maxLength.map({ m in lengths.max.map { $0 > m } ?? true }) == true {
                let allowed = lengths.max.map { $0 == lengths.min ? "exactly \($0)" : "\(lengths.min) to \($0)" }
                    ?? "\(lengths.min) or more"
                throw .invalidSchema(path: path, message: "the pattern allows strings of \(allowed) characters, "
                    + "outside minLength \(minLength) / maxLength \(maxLength.map(String.init) ?? "none"), and a "
                    + "grammar cannot enforce both; bound the pattern itself (e.g. '^[a-z]{1,80}$') and drop the "
                    + "length keywords")
            }
            return PatternGrammar.expression(for: pattern)
        }
        if minLength == 0 && maxLength == nil { return primitive("string") }
        let upper = maxLength ?? max(minLength, options.maxStringLength)
        guard upper >= minLength else {
            throw .invalidSchema(path: path, message: "minLength \(minLength) is above maxLength \(upper)")
        }
        return .sequence([.literal("\""), .repetition(primitive("char"), min: minLength, max: upper),
                          .literal("\"")])
    }

    /// The regex a string must match: its `pattern`, or the fixed pattern of its `format`.
    private func pattern(_ schema: OrderedJSON, path: String) throws(GrammarError) -> RegexPattern? {
        var source: (text: String, path: String)?
        switch schema["pattern"] {
        case nil: break
        case .string(let text)?: source = (text, path)
        default: throw .invalidSchema(path: path + ".pattern", message: "'pattern' must be a string")
        }
        switch schema["format"] {
        case nil: break
        case .string(let format)?:
            guard let text = StringFormat.pattern(for: format) else {
                throw .unsupportedFormat(format: format, path: path)
            }
            guard source == nil else {
                throw .invalidSchema(path: path, message: "'pattern' and 'format' together are not supported; "
                                     + "keep one of them")
            }
            source = (text, path + ".format")
        default: throw .invalidSchema(path: path + ".format", message: "'format' must be a string")
        }
        guard let source else { return nil }
        return try RegexPattern.parse(source.text, path: source.path)
    }

    private mutating func integer(_ schema: OrderedJSON, path: String) throws(GrammarError) -> GrammarExpression {
        func bound(_ key: String) throws(GrammarError) -> Double? {
            guard let v = schema[key] else { return nil }
            guard case .number(_, let d) = v, d.isFinite, abs(d) < 1e15 else {
                throw .invalidSchema(path: "\(path).\(key)", message: "'\(key)' must be a number below 10^15")
            }
            return d
        }
        var lo = try bound("minimum").map { Int64($0.rounded(.up)) }
        var hi = try bound("maximum").map { Int64($0.rounded(.down)) }
        if let x = try bound("exclusiveMinimum") { lo = max(lo ?? .min, Int64(x.rounded(.down)) + 1) }
        if let x = try bound("exclusiveMaximum") { hi = min(hi ?? .max, Int64(x.rounded(.up)) - 1) }
        if lo == nil && hi == nil { return primitive("integer") }
        if let lo, let hi, lo > hi {
            throw .invalidSchema(path: path, message: "minimum \(lo) is above maximum \(hi): no integer fits")
        }
        return IntegerRangeGrammar(maxDigits: options.maxIntegerDigits).expression(min: lo, max: hi)
    }

    private mutating func array(_ schema: OrderedJSON, path: String, name: String) throws(GrammarError)
        -> GrammarExpression {
        let item: GrammarExpression
        if let items = schema["items"] {
            item = try ruleFor(try expression(for: items, path: path + ".items", name: name + "-item"),
                               name: name + "-item")
        } else {
            item = primitive("value")
        }
        let minItems = try count(schema, "minItems", path: path) ?? 0
        let maxItems = try count(schema, "maxItems", path: path)
        if let maxItems, maxItems < minItems {
            throw .invalidSchema(path: path, message: "minItems \(minItems) is above maxItems \(maxItems)")
        }
        let ws = primitive("ws")
        if maxItems == 0 { return .sequence([.literal("["), ws, .literal("]")]) }
        let more = GrammarExpression.repetition(.sequence([.literal(","), ws, item]), min: max(0, minItems - 1),
                                                max: maxItems.map { $0 - 1 })
        let items = GrammarExpression.sequence([item, more, ws])
        return .sequence([.literal("["), ws, minItems == 0 ? .optional(items) : items, .literal("]")])
    }

    private mutating func object(_ schema: OrderedJSON, path: String, name: String) throws(GrammarError)
        -> GrammarExpression {
        var properties: [(key: String, value: GrammarExpression)] = []
        if let value = schema["properties"] {
            guard case .object(let members) = value else {
                throw .invalidSchema(path: path + ".properties", message: "'properties' must be an object")
            }
            for m in members {
                let valueName = name + "-" + m.key
                let e = try expression(for: m.value, path: "\(path).properties.\(m.key)", name: valueName)
                properties.append((m.key, try ruleFor(e, name: valueName)))
            }
        }
        var required = Set<String>()
        if let value = schema["required"] {
            guard case .array(let names) = value else {
                throw .invalidSchema(path: path + ".required", message: "'required' must be an array of names")
            }
            for n in names {
                guard case .string(let s) = n else {
                    throw .invalidSchema(path: path + ".required", message: "'required' must be an array of names")
                }
                required.insert(s)
            }
        }
        let ws = primitive("ws")
        var additional: GrammarExpression?
        switch schema["additionalProperties"] {
        case nil, .bool(false)?: additional = nil
        case .bool(true)?: additional = .sequence([primitive("string"), .literal(":"), ws, primitive("value")])
        case let s?:
            let e = try expression(for: s, path: path + ".additionalProperties", name: name + "-extra")
            additional = .sequence([primitive("string"), .literal(":"), ws, try ruleFor(e, name: name + "-extra")])
        }
        func member(_ p: (key: String, value: GrammarExpression)) -> GrammarExpression {
            .sequence([.literal(OrderedJSON.quote(p.key) + ":"), ws, p.value])
        }
        // Members come in schema order; each optional one may be left out. `rest(k)` is what may follow once
        // something was written (so it starts with a comma); `first(k)` is what may come when nothing was.
        let n = properties.count
        let firstOptional = properties.firstIndex { !required.contains($0.key) } ?? n
        var rest: GrammarExpression = additional.map { .zeroOrMore(.sequence([.literal(","), ws, $0])) } ?? .empty
        var first: GrammarExpression = additional.map { .optional(.sequence([$0, rest])) } ?? .empty
        if firstOptional < n || additional != nil {
            for k in stride(from: n - 1, through: firstOptional, by: -1) {
                let restRule = builder.uniqueName("\(name)-rest-\(k + 1)")
                builder.define(restRule, rest)
                let firstRule = builder.uniqueName("\(name)-first-\(k + 1)")
                builder.define(firstRule, first)
                let written = GrammarExpression.sequence([member(properties[k]), .rule(restRule)])
                let following = GrammarExpression.sequence([.literal(","), ws, member(properties[k]), .rule(restRule)])
                if required.contains(properties[k].key) {
                    rest = following
                    first = written
                } else {
                    rest = .choice([following, .rule(restRule)])
                    first = .choice([written, .rule(firstRule)])
                }
            }
        }
        // The required prefix, written in order with commas.
        var body: GrammarExpression = first
        if firstOptional > 0 {
            var parts: [GrammarExpression] = [member(properties[0])]
            for k in 1..<firstOptional { parts += [.literal(","), ws, member(properties[k])] }
            if firstOptional < n || additional != nil { parts.append(rest) }
            body = .sequence(parts)
        }
        for key in required where !properties.contains(where: { $0.key == key }) {
            throw .invalidSchema(path: path + ".required", message: "required property '\(key)' is not in 'properties'")
        }
        return .sequence([.literal("{"), ws, body, ws, .literal("}")])
    }

    // MARK: - Helpers

    private func count(_ schema: OrderedJSON, _ key: String, path: String) throws(GrammarError) -> Int? {
        guard let v = schema[key] else { return nil }
        guard case .number(_, let d) = v, d >= 0, d <= Double(GrammarCompiler.maxRepetition), d == d.rounded() else {
            throw .invalidSchema(path: "\(path).\(key)",
                                 message: "'\(key)' must be a whole number from 0 to \(GrammarCompiler.maxRepetition)")
        }
        return Int(d)
    }

    /// A rule reference for a non-trivial expression, so that it is not copied into every place that uses it.
    private mutating func ruleFor(_ e: GrammarExpression, name: String) throws(GrammarError) -> GrammarExpression {
        switch e {
        case .rule, .literal: return e
        default:
            let ruleName = builder.uniqueName(name)
            builder.define(ruleName, e)
            return .rule(ruleName)
        }
    }

    private mutating func refRule(_ ref: String, path: String) throws(GrammarError) -> String {
        if let name = refRules[ref] { return name }
        let parts = ref.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0] == "#", parts[1] == "$defs" || parts[1] == "definitions",
              let target = root[parts[1]]?[Self.unescapePointer(parts[2])] else {
            throw .unresolvedReference(ref: ref, path: path)
        }
        let name = builder.uniqueName("def-" + parts[2])
        refRules[ref] = name
        builder.define(name, .empty)  // reserve the name; recursion refers to it before it is complete
        let e = try expression(for: target, path: "$.\(parts[1]).\(parts[2])", name: name)
        builder.define(name, e)
        return name
    }

    static func unescapePointer(_ s: String) -> String {
        s.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// The shared rule for a JSON primitive, defined on first use.
    private mutating func primitive(_ name: String) -> GrammarExpression {
        if !builder.contains(name) {
            let digits = options.maxIntegerDigits
            let intPart = GrammarExpression.choice([
                .literal("0"),
                .sequence([.characterClass([0x31...0x39], negated: false),
                           .repetition(.characterClass([0x30...0x39], negated: false), min: 0, max: digits - 1)]),
            ])
            switch name {
            case "ws": builder.define(name, .optional(.literal(" ")))
            case "char":
                builder.define(name, .choice([
                    .characterClass([0...0x1F, 0x22...0x22, 0x5C...0x5C, 0x7F...0x7F], negated: true),
                    .sequence([.literal("\\"), .choice([
                        .characters("\"\\/bfnrt"),
                        .sequence([.literal("u"), .repetition(.characterClass([0x30...0x39, 0x61...0x66, 0x41...0x46],
                                                                              negated: false), min: 4, max: 4)]),
                    ])]),
                ]))
            case "string":
                builder.define(name, .sequence([
                    .literal("\""), .repetition(primitive("char"), min: 0, max: options.maxStringLength),
                    .literal("\""),
                ]))
            case "integer": builder.define(name, .sequence([.optional(.literal("-")), intPart]))
            case "number":
                let digit = GrammarExpression.characterClass([0x30...0x39], negated: false)
                builder.define(name, .sequence([
                    .optional(.literal("-")), intPart,
                    .optional(.sequence([.literal("."), .repetition(digit, min: 1, max: digits)])),
                    .optional(.sequence([.characters("eE"), .optional(.characters("+-")),
                                         .repetition(digit, min: 1, max: 3)])),
                ]))
            case "boolean": builder.define(name, .choice([.literal("true"), .literal("false")]))
            case "null": builder.define(name, .literal("null"))
            default:  // "value": any JSON value
                builder.define(name, .empty)
                let ws = primitive("ws")
                let value = GrammarExpression.rule("value")
                let member = GrammarExpression.sequence([primitive("string"), .literal(":"), ws, value])
                let object = GrammarExpression.sequence([
                    .literal("{"), ws,
                    .optional(.sequence([member, .zeroOrMore(.sequence([.literal(","), ws, member])), ws])),
                    .literal("}"),
                ])
                let array = GrammarExpression.sequence([
                    .literal("["), ws,
                    .optional(.sequence([value, .zeroOrMore(.sequence([.literal(","), ws, value])), ws])),
                    .literal("]"),
                ])
                builder.define(name, .choice([object, array, primitive("string"), primitive("number"),
                                              primitive("boolean"), primitive("null")]))
            }
        }
        return .rule(name)
    }
}
