// Reads JSON into JinjaValue keeping object key order (Foundation's JSONSerialization loses it), with Python's
// json.loads number rules: integers stay `int`, anything with a fraction or exponent is `float`.

extension JinjaValue {
    /// Parses JSON text (RFC 8259, plus Python's `NaN`/`Infinity` extensions) into a value whose objects keep
    /// their key order, so templates iterate tool parameters and message fields in the order the caller wrote them.
    ///
    /// - Throws: ``TemplateError/invalidJSON(message:line:column:)`` naming the position of the first problem.
    public init(json text: String) throws(TemplateError) {
        var reader = JSONReader(Array(text.utf8))
        self = try reader.readDocument()
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
private struct JSONReader {
    private let bytes: [UInt8]
    private var pos = 0
    private var depth = 0
    private static let maxDepth = 512

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func readDocument() throws(TemplateError) -> JinjaValue {
        skipWhitespace()
        let value = try readValue()
        skipWhitespace()
        if pos < bytes.count { throw error("extra data after the JSON value") }
        return value
    }

    private mutating func readValue() throws(TemplateError) -> JinjaValue {
        guard pos < bytes.count else { throw error("expected a value, found the end of the text") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): return try readWord("true", .bool(true))
        case UInt8(ascii: "f"): return try readWord("false", .bool(false))
        case UInt8(ascii: "n"): return try readWord("null", .none)
        case UInt8(ascii: "N"): return try readWord("NaN", .float(.nan))
        case UInt8(ascii: "I"): return try readWord("Infinity", .float(.infinity))
        default: return try readNumber()
        }
    }

    private mutating func readWord(_ word: String, _ value: JinjaValue) throws(TemplateError) -> JinjaValue {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw error("expected a value")
        }
        pos += w.count
        return value
    }

    private mutating func readObject() throws(TemplateError) -> JinjaValue {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
        pos += 1
        var object = JinjaObject()
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw error("expected a property name in double quotes")
            }
            let key = try readString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            pos += 1
            skipWhitespace()
            object[key] = try readValue()
            skipWhitespace()
            guard pos < bytes.count else { throw error("unterminated object") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                return .object(object)
            }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func readArray() throws(TemplateError) -> JinjaValue {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
        pos += 1
        var items: [JinjaValue] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try readValue())
            skipWhitespace()
            guard pos < bytes.count else { throw error("unterminated array") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array(items)
            }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func readString() throws(TemplateError) -> String {
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in a string") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                pos += 1
                continue
            }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
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
                var code = try readHex4()
                if (0xD800..<0xDC00).contains(code), pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"),
                    bytes[pos + 1] == UInt8(ascii: "u")
                {
                    let save = pos
                    pos += 2
                    let low = try readHex4()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        pos = save
                    }
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(scalar).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        throw error("unterminated string")
    }

    private mutating func readHex4() throws(TemplateError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for b in bytes[pos..<pos + 4] {
            guard let d = Unicode.Scalar(b).digitValue(radix: 16) else { throw error("invalid \\u escape") }
            value = value * 16 + UInt32(d)
        }
        pos += 4
        return value
    }

    private mutating func readNumber() throws(TemplateError) -> JinjaValue {
        let start = pos
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "-") {
            pos += 1
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "I") {
                _ = try readWord("Infinity", .none)
                return .float(-.infinity)
            }
        }
        let digitsStart = pos
        while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        if pos == digitsStart { throw error("expected a value") }
        if bytes[digitsStart] == UInt8(ascii: "0") && pos - digitsStart > 1 {
            throw error("leading zeros in a number")
        }
        var isFloat = false
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            isFloat = true
            pos += 1
            let fracStart = pos
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
            if pos == fracStart { throw error("expected digits after '.'") }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            isFloat = true
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            let expStart = pos
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
            if pos == expStart { throw error("expected digits in the exponent") }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !isFloat {
            guard let i = Int(text) else { throw error("integer \(text) does not fit in 64 bits") }
            return .int(i)
        }
        guard let d = Double(text) else { throw error("invalid number \(text)") }
        return .float(d)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func skipWhitespace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    private func error(_ message: String) -> TemplateError {
        var line = 1
        var lineStart = 0
        for i in 0..<min(pos, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<min(pos, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
        return .invalidJSON(message: message, line: line, column: column)
    }
}
