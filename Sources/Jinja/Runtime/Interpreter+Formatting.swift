// Python's two string-formatting languages: `str.format` (`'{}'.format(x)`, `'{:>8}'`) and printf-style
// `'%s-%d' % (a, b)`, with Python's error messages.
import Foundation

extension Interpreter {
    /// `format.format(*args, **kwargs)`.
    func pythonFormat(_ format: String, _ args: CallArguments, at location: SourceLocation) throws(TemplateError)
        -> String
    {
        let a = PyString.scalars(format)
        var out = ""
        var i = 0
        var autoIndex = 0
        var numbering: Bool? = nil  // true = automatic, false = manual
        func fail(_ message: String) -> TemplateError { .runtime(message: message, location: location) }
        while i < a.count {
            let c = a[i]
            if c == "}" {
                guard i + 1 < a.count, a[i + 1] == "}" else { throw fail("Single '}' encountered in format string") }
                out += "}"
                i += 2
                continue
            }
            if c != "{" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            if i + 1 < a.count && a[i + 1] == "{" {
                out += "{"
                i += 2
                continue
            }
            var depth = 1
            var j = i + 1
            while j < a.count {
                if a[j] == "{" { depth += 1 }
                if a[j] == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                j += 1
            }
            guard j < a.count else { throw fail("expected '}' before end of string") }
            let field = Array(a[(i + 1)..<j])
            i = j + 1
            var nameEnd = 0
            while nameEnd < field.count && field[nameEnd] != "!" && field[nameEnd] != ":" { nameEnd += 1 }
            let fieldName = PyString.string(field[..<nameEnd])
            var conversion: Unicode.Scalar? = nil
            var spec = ""
            var k = nameEnd
            if k < field.count && field[k] == "!" {
                guard k + 1 < field.count else { throw fail("end of string while looking for conversion specifier") }
                conversion = field[k + 1]
                k += 2
                if k < field.count && field[k] != ":" { throw fail("expected ':' after conversion specifier") }
            }
            if k < field.count && field[k] == ":" {
                spec = PyString.string(field[(k + 1)...])
                if spec.contains("{") { spec = try pythonFormat(spec, args, at: location) }
            }
            var first = fieldName
            var rest = ""
            if let cut = fieldName.firstIndex(where: { $0 == "." || $0 == "[" }) {
                first = String(fieldName[..<cut])
                rest = String(fieldName[cut...])
            }
            var value: JinjaValue
            if first.isEmpty {
                if numbering == false {
                    throw fail("cannot switch from manual field specification to automatic field numbering")
                }
                numbering = true
                guard autoIndex < args.positional.count else {
                    throw fail("tuple index out of range")
                }
                value = args.positional[autoIndex]
                autoIndex += 1
            } else if let index = Int(first) {
                if numbering == true {
                    throw fail("cannot switch from automatic field numbering to manual field specification")
                }
                numbering = false
                guard index < args.positional.count else {
                    throw fail("tuple index out of range")
                }
                value = args.positional[index]
            } else {
                guard let v = args.keyword.last(where: { $0.0 == first })?.1 else { throw fail(pythonRepr(first)) }
                value = v
            }
            var r = PyString.scalars(rest)[...]
            while let head = r.first {
                r = r.dropFirst()
                var name = ""
                while let c = r.first, c != "." && c != "[" && c != "]" {
                    name.unicodeScalars.append(c)
                    r = r.dropFirst()
                }
                if head == "." {
                    value = try attribute(of: value, name, at: location)
                } else {
                    if r.first == "]" { r = r.dropFirst() }
                    value = try item(of: value, Int(name).map(JinjaValue.int) ?? .string(name), at: location)
                }
            }
            switch conversion {
            case "r"?: value = .string(value.pythonRepr)
            case "s"?: value = .string(value.pythonString)
            case "a"?: value = .string(asciiRepr(value.pythonRepr))
            case nil: break
            case let other?: throw fail("Unknown conversion specifier \(other)")
            }
            out += try formatSpec(value, spec, at: location)
        }
        return out
    }

    private func asciiRepr(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.isASCII { out.unicodeScalars.append(c); continue }
            let hex = String(c.value, radix: 16)
            if c.value <= 0xFF { out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
            else if c.value <= 0xFFFF { out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
            else { out += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex }
        }
        return out
    }

    /// `format(value, spec)` for the standard format-spec mini-language.
    func formatSpec(_ value: JinjaValue, _ spec: String, at location: SourceLocation) throws(TemplateError) -> String {
        if spec.isEmpty { return value.pythonString }
        let s = PyString.scalars(spec)
        var i = 0
        var fill: Unicode.Scalar = " "
        var align: Character? = nil
        func isAlign(_ c: Unicode.Scalar) -> Bool { c == "<" || c == ">" || c == "^" || c == "=" }
        if s.count >= 2 && isAlign(s[1]) {
            fill = s[0]
            align = Character(s[1])
            i = 2
        } else if !s.isEmpty && isAlign(s[0]) {
            align = Character(s[0])
            i = 1
        }
        var sign: Unicode.Scalar = "-"
        if i < s.count && (s[i] == "+" || s[i] == "-" || s[i] == " ") {
            sign = s[i]
            i += 1
        }
        var alternate = false
        if i < s.count && s[i] == "#" {
            alternate = true
            i += 1
        }
        if i < s.count && s[i] == "0" && align == nil {
            fill = "0"
            align = "="
            i += 1
        }
        var width = 0
        while i < s.count, let d = s[i].digitValue(radix: 10) {
            width = min(width * 10 + d, Interpreter.maxWidth + 1)
            i += 1
        }
        var grouping: Character? = nil
        if i < s.count && (s[i] == "," || s[i] == "_") {
            grouping = Character(s[i])
            i += 1
        }
        var precision: Int? = nil
        if i < s.count && s[i] == "." {
            i += 1
            var p = 0
            while i < s.count, let d = s[i].digitValue(radix: 10) {
                p = min(p * 10 + d, Interpreter.maxWidth + 1)
                i += 1
            }
            precision = p
        }
        var type: Character? = nil
        if i < s.count {
            type = Character(s[i])
            i += 1
        }
        let fail = TemplateError.runtime(
            message: "Invalid format specifier '\(spec)' for object of type '\(value.pythonTypeName)'", location: location)
        if width > Interpreter.maxWidth || (precision ?? 0) > Interpreter.maxWidth {
            throw .runtime(message: "Too many decimal digits in format string", location: location)
        }
        if i < s.count { throw fail }
        var body: String
        var negative = false
        var defaultAlign: Character = ">"
        switch value {
        case .string(let text), .markup(let text):
            guard type == nil || type == "s" else {
                throw .runtime(message: "Unknown format code '\(type.map(String.init) ?? "")' for object of type 'str'",
                               location: location)
            }
            body = precision.map { PyString.string(text.unicodeScalars.prefix($0)) } ?? text
            defaultAlign = "<"
        case .int, .bool, .float:
            guard let number = value.numeric else { throw fail }
            var t = type
            if case .int = number, t == nil, precision == nil, case .bool(let b) = value {
                body = b ? "True" : "False"
                break
            }
            if case .float = number, t == nil { t = precision == nil ? "r" : "g" }
            switch (number, t) {
            case (.int(let n), nil), (.int(let n), "d"?), (.int(let n), "n"?):
                negative = n < 0
                body = String(n.magnitude)
            case (.int(let n), "x"?), (.int(let n), "X"?), (.int(let n), "o"?), (.int(let n), "b"?):
                negative = n < 0
                let radix = t == "o" ? 8 : (t == "b" ? 2 : 16)
                body = String(n.magnitude, radix: radix, uppercase: t == "X")
                if alternate { body = (t == "o" ? "0o" : (t == "b" ? "0b" : (t == "X" ? "0X" : "0x"))) + body }
            case (.int(let n), "c"?):
                body = (0...0x10FFFF).contains(n) ? Unicode.Scalar(UInt32(n)).map { String($0) } ?? "" : ""
            case (_, "r"?):
                let d = number.double
                negative = d < 0 || (d == 0 && d.sign == .minus)
                body = pythonFloatRepr(abs(d))
            case (_, let code?) where "eEfFgG%".contains(code):
                let d = number.double
                negative = d < 0 || (d == 0 && d.sign == .minus)
                let p = precision ?? 6
                let magnitude = abs(d)
                if code == "%" {
                    body = String(format: "%.\(p)f", magnitude * 100) + "%"
                } else if magnitude.isNaN {
                    body = code.isUppercase ? "NAN" : "nan"
                } else if magnitude.isInfinite {
                    body = code.isUppercase ? "INF" : "inf"
                } else {
                    body = String(format: "%\(alternate ? "#" : "").\(p)\(code)", magnitude)
                }
            default:
                throw .runtime(message: "Unknown format code '\(t.map(String.init) ?? "")' for object of type"
                    + " '\(value.pythonTypeName)'", location: location)
            }
            if let grouping {
                let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                var digits = Array(parts[0])
                var grouped: [Character] = []
                while digits.count > 3 {
                    grouped = [grouping] + digits.suffix(3) + grouped
                    digits.removeLast(3)
                }
                body = String(digits + grouped) + (parts.count > 1 ? "." + parts[1] : "")
            }
        default:
            throw .runtime(message: "unsupported format string passed to \(value.pythonTypeName).__format__",
                           location: location)
        }
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        let length = signText.unicodeScalars.count + body.unicodeScalars.count
        guard width > length else { return signText + body }
        let padding = String(repeating: String(fill), count: width - length)
        switch align ?? defaultAlign {
        case "<": return signText + body + padding
        case "=": return signText + padding + body
        case "^":
            let total = width - length
            let left = total / 2
            return String(repeating: String(fill), count: left) + signText + body
                + String(repeating: String(fill), count: total - left)
        default: return padding + signText + body
        }
    }

    /// `format % values` (printf-style).
    func percentFormat(_ format: String, _ values: JinjaValue, at location: SourceLocation) throws(TemplateError)
        -> String
    {
        func fail(_ message: String) -> TemplateError { .runtime(message: message, location: location) }
        var positional: [JinjaValue]
        var mapping: JinjaObject? = nil
        switch values {
        case .tuple(let items): positional = items
        case .object(let o):
            positional = [values]
            mapping = o
        default: positional = [values]
        }
        var next = 0
        var usedMapping = false
        let a = PyString.scalars(format)
        var out = ""
        var i = 0
        while i < a.count {
            if a[i] != "%" {
                out.unicodeScalars.append(a[i])
                i += 1
                continue
            }
            i += 1
            guard i < a.count else { throw fail("incomplete format") }
            var value: JinjaValue? = nil
            if a[i] == "(" {
                var j = i + 1
                var key = ""
                while j < a.count && a[j] != ")" {
                    key.unicodeScalars.append(a[j])
                    j += 1
                }
                guard j < a.count else { throw fail("incomplete format key") }
                guard let mapping else { throw fail("format requires a mapping") }
                guard let v = mapping[key] else { throw fail(pythonRepr(key)) }
                value = v
                usedMapping = true
                i = j + 1
            }
            var flags = Set<Unicode.Scalar>()
            while i < a.count && "-+ #0".unicodeScalars.contains(a[i]) {
                flags.insert(a[i])
                i += 1
            }
            var width = 0
            while i < a.count, let d = a[i].digitValue(radix: 10) {
                width = min(width * 10 + d, Interpreter.maxWidth + 1)
                i += 1
            }
            var precision: Int? = nil
            if i < a.count && a[i] == "." {
                i += 1
                var p = 0
                while i < a.count, let d = a[i].digitValue(radix: 10) {
                    p = min(p * 10 + d, Interpreter.maxWidth + 1)
                    i += 1
                }
                precision = p
            }
            if width > Interpreter.maxWidth || (precision ?? 0) > Interpreter.maxWidth {
                throw fail("width too big")
            }
            while i < a.count && "hlL".unicodeScalars.contains(a[i]) { i += 1 }
            guard i < a.count else { throw fail("incomplete format") }
            let type = a[i]
            i += 1
            if type == "%" {
                out += "%"
                continue
            }
            if value == nil {
                guard next < positional.count else { throw fail("not enough arguments for format string") }
                value = positional[next]
                next += 1
            }
            guard let v = value else { continue }
            if case .undefined(let u) = v, "diuxXofFeEgGc".unicodeScalars.contains(type) {
                throw undefinedError(u, location)  // int(Undefined) and float(Undefined) fail
            }
            var text: String
            switch type {
            case "s": text = v.pythonString
            case "r", "a": text = type == "a" ? asciiRepr(v.pythonRepr) : v.pythonRepr
            case "d", "i", "u", "x", "X", "o":
                guard let n = v.numeric else {
                    let needed = type == "d" || type == "i" || type == "u" ? "a real number" : "an integer"
                    throw fail("%\(type) format: \(needed) is required, not \(v.pythonTypeName)")
                }
                let int: Int
                switch n {
                case .int(let x): int = x
                case .float(let f): int = Int(f.rounded(.towardZero))
                }
                let radix = type == "o" ? 8 : (type == "x" || type == "X" ? 16 : 10)
                text = (int < 0 ? "-" : (flags.contains("+") ? "+" : (flags.contains(" ") ? " " : "")))
                    + String(int.magnitude, radix: radix, uppercase: type == "X")
            case "f", "F", "e", "E", "g", "G":
                guard let n = v.numeric else {
                    throw fail("must be real number, not \(v.pythonTypeName)")
                }
                let flagText = (flags.contains("+") ? "+" : "") + (flags.contains(" ") ? " " : "")
                text = String(format: "%\(flagText).\(precision ?? 6)\(type)", n.double)
                precision = nil
            case "c":
                if case .int(let n)? = v.numeric, (0...0x10FFFF).contains(n), let s = Unicode.Scalar(UInt32(n)) {
                    text = String(s)
                }
                else if let s = v.stringValue, s.unicodeScalars.count == 1 { text = s }
                else { throw fail("%c requires int or char") }
            default:
                throw fail("unsupported format character '\(type)' (0x\(String(type.value, radix: 16))) at index \(i - 1)")
            }
            if let precision, "sra".unicodeScalars.contains(type) {
                text = PyString.string(text.unicodeScalars.prefix(precision))
            }
            let length = text.unicodeScalars.count
            if width > length {
                let pad = width - length
                if flags.contains("-") {
                    text += String(repeating: " ", count: pad)
                } else if flags.contains("0") && !"srac".unicodeScalars.contains(type) {
                    let signed = text.hasPrefix("-") || text.hasPrefix("+") || text.hasPrefix(" ")
                    text = signed ? String(text.prefix(1)) + String(repeating: "0", count: pad) + text.dropFirst()
                        : String(repeating: "0", count: pad) + text
                } else {
                    text = String(repeating: " ", count: pad) + text
                }
            }
            out += text
        }
        var mappingLike = mapping != nil
        switch values {
        case .array, .undefined: mappingLike = true  // Python treats anything with __getitem__ as a mapping here
        default: break
        }
        if !mappingLike && next < positional.count {
            throw fail("not all arguments converted during string formatting")
        }
        _ = usedMapping
        return out
    }
}
