// Python's text conventions that rendered output depends on: repr() of strings and floats, str() of containers,
// markupsafe's HTML escaping, and the Unicode character classes Python's string methods use.

/// Python's `repr(s)` for a string: single quotes unless the text has a `'` and no `"`, escapes for `\`, the
/// quote, `\t` `\n` `\r`, and non-printable characters; printable non-ASCII text is kept as is.
func pythonRepr(_ s: String) -> String {
    let hasSingle = s.unicodeScalars.contains("'")
    let hasDouble = s.unicodeScalars.contains("\"")
    let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
    var out = String.UnicodeScalarView()
    out.append(quote)
    for c in s.unicodeScalars {
        switch c {
        case quote, "\\":
            out.append("\\")
            out.append(c)
        case "\t": out.append(contentsOf: "\\t".unicodeScalars)
        case "\n": out.append(contentsOf: "\\n".unicodeScalars)
        case "\r": out.append(contentsOf: "\\r".unicodeScalars)
        default:
            if c.value < 0x20 || c.value == 0x7F {
                out.append(contentsOf: hexEscape(c).unicodeScalars)
            } else if c.value < 0x7F || c.isPythonPrintable {
                out.append(c)
            } else {
                out.append(contentsOf: hexEscape(c).unicodeScalars)
            }
        }
    }
    out.append(quote)
    return String(out)
}

private func hexEscape(_ c: Unicode.Scalar) -> String {
    let hex = String(c.value, radix: 16)
    func pad(_ width: Int) -> String { String(repeating: "0", count: max(0, width - hex.count)) + hex }
    if c.value <= 0xFF { return "\\x" + pad(2) }
    if c.value <= 0xFFFF { return "\\u" + pad(4) }
    return "\\U" + pad(8)
}

extension Unicode.Scalar {
    /// Python's `str.isprintable()` for one character: everything but control, format, surrogate, private-use,
    /// unassigned and separator characters (the ASCII space excepted).
    var isPythonPrintable: Bool {
        if value == 0x20 { return true }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }
}

/// Python's `repr(float)` (also `str(float)` and what `json.dumps` writes): the shortest digits that round-trip,
/// fixed notation for exponents -4 … 15 with at least one fractional digit, otherwise `1e+16` / `1e-05` style.
func pythonFloatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    // Swift's description also prints the shortest round-trip digits; re-layout them as Python does.
    var text = d.description
    var negative = false
    if text.hasPrefix("-") {
        negative = true
        text.removeFirst()
    }
    var mantissa = text
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = String(text[..<e])
        exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var digits: String
    var pointPosition: Int
    if let dot = mantissa.firstIndex(of: ".") {
        let intPart = mantissa[..<dot]
        let fracPart = mantissa[mantissa.index(after: dot)...]
        digits = String(intPart) + String(fracPart)
        pointPosition = intPart.count + exponent
    } else {
        digits = mantissa
        pointPosition = mantissa.count + exponent
    }
    while digits.count > 1 && digits.hasPrefix("0") {
        digits.removeFirst()
        pointPosition -= 1
    }
    while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
    let sign = negative ? "-" : ""
    if digits == "0" { return sign + "0.0" }
    if pointPosition <= -4 || pointPosition > 16 {
        let e = pointPosition - 1
        var body = String(digits.prefix(1))
        if digits.count > 1 { body += "." + digits.dropFirst() }
        let expDigits = String(abs(e))
        return sign + body + "e" + (e < 0 ? "-" : "+") + (expDigits.count < 2 ? "0" + expDigits : expDigits)
    }
    if pointPosition <= 0 {
        return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
    }
    if pointPosition >= digits.count {
        return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
    }
    let cut = digits.index(digits.startIndex, offsetBy: pointPosition)
    return sign + digits[..<cut] + "." + digits[cut...]
}

/// markupsafe's `escape`: `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&#34;` and `&#39;`.
func htmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&#34;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}
