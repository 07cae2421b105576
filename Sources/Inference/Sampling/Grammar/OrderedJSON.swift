// A small JSON reader that keeps object members in the order they were written: JSON Schema property order is
// the order a constrained model must emit them in, and Foundation's JSONSerialization loses it.

/// A parsed JSON value with ordered object members and numbers kept as written.
public enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as written (exact for `const`/`enum`) and its value.
    case number(String, Double)
    case string(String)
    case array([OrderedJSON])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: OrderedJSON
    }

    /// The value of `key` in an object (the first one if repeated), or nil.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Parses JSON text; errors carry the 1-based line and column.
    public static func parse(_ text: String) throws(GrammarError) -> OrderedJSON {
        var reader = Reader(bytes: Array(text.utf8))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.pos == reader.bytes.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    /// Compact JSON text (no spaces), as a constrained model must write a `const` or `enum` value.
    public var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let text, _): return text
        case .string(let s): return Self.quote(s)
        case .array(let items): return "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { Self.quote($0.key) + ":" + $0.value.compactText }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal with the escapes JSON requires (and `\uXXXX` for other control characters).
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private struct Reader {
        let bytes: [UInt8]
        var pos = 0

        func error(_ message: String) -> GrammarError {
            var line = 1, column = 1
            var i = 0
            while i < min(pos, bytes.count) {
                if bytes[i] == 0x0A {
                    line += 1
                    column = 1
                } else if bytes[i] & 0xC0 != 0x80 {
                    column += 1
                }
                i += 1
            }
            return .invalidJSON(line: line, column: column, message: message)
        }

        mutating func skipSpace() {
            while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
        }

        mutating func value(depth: Int) throws(GrammarError) -> OrderedJSON {
            guard depth < 512 else { throw error("JSON nested more than 512 levels deep") }
            guard pos < bytes.count else { throw error("unexpected end of JSON, expected a value") }
            switch bytes[pos] {
            case UInt8(ascii: "{"):
                pos += 1
                var members: [Member] = []
                skipSpace()
                if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
                    pos += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                        throw error("expected a quoted member name")
                    }
                    let key = try string()
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                        throw error("expected ':' after member name \"\(key)\"")
                    }
                    pos += 1
                    skipSpace()
                    members.append(Member(key: key, value: try value(depth: depth + 1)))
                    skipSpace()
                    guard pos < bytes.count else { throw error("unexpected end of JSON inside an object") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                    throw error("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                pos += 1
                var items: [OrderedJSON] = []
                skipSpace()
                if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard pos < bytes.count else { throw error("unexpected end of JSON inside an array") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                    throw error("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try word("true", .bool(true))
            case UInt8(ascii: "f"): return try word("false", .bool(false))
            case UInt8(ascii: "n"): return try word("null", .null)
            default:
                return try number()
            }
        }

        mutating func word(_ w: String, _ v: OrderedJSON) throws(GrammarError) -> OrderedJSON {
            let u = Array(w.utf8)
            guard pos + u.count <= bytes.count, Array(bytes[pos..<pos + u.count]) == u else {
                throw error("unexpected character, expected a JSON value")
            }
            pos += u.count
            return v
        }

        mutating func number() throws(GrammarError) -> OrderedJSON {
            let start = pos
            func digits() -> Int {
                let s = pos
                while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
                return pos - s
            }
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw error("unexpected character, expected a JSON value") }
            if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
                pos += 1
                guard digits() > 0 else { throw error("expected digits after '.' in a number") }
            }
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
                pos += 1
                if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) {
                    pos += 1
                }
                guard digits() > 0 else { throw error("expected digits in a number's exponent") }
            }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            return .number(text, Double(text) ?? 0)
        }

        mutating func string() throws(GrammarError) -> String {
            pos += 1
            var out: [UInt8] = []
            while true {
                guard pos < bytes.count else { throw error("string is not closed with '\"'") }
                let b = bytes[pos]
                if b == UInt8(ascii: "\"") { pos += 1; break }
                guard b >= 0x20 else { throw error("raw control character in a string; escape it") }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    pos += 1
                    continue
                }
                guard pos + 1 < bytes.count else { throw error("string is not closed with '\"'") }
                let e = bytes[pos + 1]
                pos += 2
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if v >= 0xD800 && v < 0xDC00, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                       bytes[pos + 1] == UInt8(ascii: "u") {
                        pos += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid UTF-16 surrogate pair") }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(v) else { throw error("invalid \\u escape (lone surrogate)") }
                    out += Array(String(scalar).utf8)
                default:
                    throw error("unknown escape in a string")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws(GrammarError) -> UInt32 {
            guard pos + 4 <= bytes.count else { throw error("\\u needs four hexadecimal digits") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[pos]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x61...0x66: d = UInt32(c - 0x57)
                case 0x41...0x46: d = UInt32(c - 0x37)
                default: throw error("\\u needs four hexadecimal digits")
                }
                v = v << 4 | d
                pos += 1
            }
            return v
        }
    }
}
