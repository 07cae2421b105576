// Writes values as Python's json.dumps does, which is what Hugging Face's `tojson` filter calls:
// json.dumps(x, ensure_ascii=False, indent=…, separators=…, sort_keys=…).

/// Python `json.dumps` options.
struct JSONStyle {
    /// Text repeated once per nesting level; nil writes everything on one line.
    var indent: String? = nil
    /// Between items; Python's default is ", " without indent and "," with it.
    var itemSeparator: String? = nil
    /// Between a key and its value; Python's default is ": ".
    var keySeparator: String = ": "
    var sortKeys = false
    var ensureASCII = false
}

/// Serialises `value` exactly as Python's `json.dumps` would; fails on values JSON cannot hold, with Python's
/// message ("Object of type Undefined is not JSON serializable").
func pythonJSONDumps(_ value: JinjaValue, style: JSONStyle) throws(PythonFailure) -> String {
    var out = ""
    let itemSeparator = style.itemSeparator ?? (style.indent == nil ? ", " : ",")
    try writeJSON(value, style: style, itemSeparator: itemSeparator, level: 0, into: &out)
    return out
}

private func writeJSON(_ value: JinjaValue, style: JSONStyle, itemSeparator: String, level: Int,
                       into out: inout String) throws(PythonFailure)
{
    switch value {
    case .none: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .float(let f):
        if f.isNaN { out += "NaN" } else if f.isInfinite { out += f < 0 ? "-Infinity" : "Infinity" } else {
            out += pythonFloatRepr(f)
        }
    case .string(let s), .markup(let s): writeJSONString(s, ensureASCII: style.ensureASCII, into: &out)
    case .array(let items), .tuple(let items):
        if items.isEmpty {
            out += "[]"
            return
        }
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += itemSeparator }
            newline(style, level + 1, &out)
            try writeJSON(item, style: style, itemSeparator: itemSeparator, level: level + 1, into: &out)
        }
        newline(style, level, &out)
        out += "]"
    case .object(let object):
        if object.isEmpty {
            out += "{}"
            return
        }
        var pairs: [(key: String, value: JinjaValue)] = []
        for (key, value) in object.entries {
            switch key {
            case .string(let s), .markup(let s): pairs.append((s, value))
            case .none: pairs.append(("null", value))
            case .bool(let b): pairs.append((b ? "true" : "false", value))
            case .int(let i): pairs.append((String(i), value))
            case .float(let f): pairs.append((f.isNaN ? "NaN" : f.isInfinite ? (f < 0 ? "-Infinity" : "Infinity") : pythonFloatRepr(f), value))
            default: throw .type("keys must be str, int, float, bool or None, not \(key.pythonTypeName)")
            }
        }
        if style.sortKeys {
            let keys = object.keyValues
            var failure: PythonFailure? = nil
            let order = keys.indices.sorted { a, b in
                do throws(PythonFailure) {
                    return try pythonCompare(keys[a], keys[b], op: "<") < 0
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            pairs = order.map { pairs[$0] }
        }
        out += "{"
        for (i, pair) in pairs.enumerated() {
            if i > 0 { out += itemSeparator }
            newline(style, level + 1, &out)
            writeJSONString(pair.key, ensureASCII: style.ensureASCII, into: &out)
            out += style.keySeparator
            try writeJSON(pair.value, style: style, itemSeparator: itemSeparator, level: level + 1, into: &out)
        }
        newline(style, level, &out)
        out += "}"
    case .undefined, .opaque:
        throw .type("Object of type \(value.pythonTypeName) is not JSON serializable")
    }
}

private func newline(_ style: JSONStyle, _ level: Int, _ out: inout String) {
    guard let indent = style.indent else { return }
    out += "\n"
    for _ in 0..<level { out += indent }
}

/// A JSON string literal: `"` and `\` escaped, `\n \r \t \b \f` by name, other controls as `\u00XX`; with
/// `ensureASCII` every non-ASCII character becomes `\uXXXX` (surrogate pairs above U+FFFF).
func writeJSONString(_ s: String, ensureASCII: Bool, into out: inout String) {
    out += "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        default:
            if c.value < 0x20 || (ensureASCII && c.value > 0x7E) {
                if c.value > 0xFFFF {
                    let v = c.value - 0x10000
                    out += hex4(0xD800 + (v >> 10)) + hex4(0xDC00 + (v & 0x3FF))
                } else {
                    out += hex4(c.value)
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }
    out += "\""
}

private func hex4(_ v: UInt32) -> String {
    let hex = String(v, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
}

extension JinjaValue {
    /// The value as compact JSON (Python's `json.dumps(x, ensure_ascii=False)` layout), or nil for values JSON
    /// cannot hold (undefined, macros, namespaces). Useful to hand a rendering context to another renderer.
    public func jsonString(sortKeys: Bool = false) -> String? {
        try? pythonJSONDumps(self, style: JSONStyle(sortKeys: sortKeys))
    }
}
