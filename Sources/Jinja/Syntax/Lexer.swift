// Splits template source into tokens the way jinja2's lexer does, with trim_blocks and lstrip_blocks on
// (Hugging Face's settings) and `-`/`+` whitespace control; comments are dropped, raw blocks become text.

/// jinja2's lexer rules, re-implemented over Unicode scalars (Python strings index code points).
///
/// Facts carried over from jinja2 3.1 (`lexer.py`): newlines `\r\n`, `\r` and `\n` all become `\n`; one trailing
/// newline of the source is dropped; `%}` and `#}` eat the newline right after them (trim_blocks) unless written
/// `+%}`; whitespace before `{%` or `{#` back to the line start is dropped when only whitespace precedes the tag on
/// its line (lstrip_blocks) unless written `{%+`; `{{` is never lstripped; a `-` strips all whitespace on that side.
struct Lexer {
    private let src: [Unicode.Scalar]
    private let name: String
    private var lineStarts: [Int] = [0]
    private var pos = 0
    private var tokens: [Token] = []
    private var lineStarting = true

    init(source: String, name: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(source.unicodeScalars.count)
        var previousWasCR = false
        for s in source.unicodeScalars {
            if s == "\r" {
                scalars.append("\n")
                previousWasCR = true
                continue
            }
            if s == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            scalars.append(s)
        }
        if scalars.last == "\n" { scalars.removeLast() }
        self.src = scalars
        self.name = name
        for (i, s) in scalars.enumerated() where s == "\n" { lineStarts.append(i + 1) }
    }

    /// All tokens of the template, ending with `.eof`.
    mutating func tokenize() throws(TemplateError) -> [Token] {
        while pos < src.count {
            guard let tag = findTagStart(from: pos) else {
                emitData(pos, src.count, at: pos)
                pos = src.count
                break
            }
            var textEnd = tag.start
            if tag.sign == "-" {
                while textEnd > pos && src[textEnd - 1].isPythonWhitespace { textEnd -= 1 }
            } else if tag.sign != "+" && tag.kind != .variable {
                var lineStart = textEnd
                while lineStart > pos && src[lineStart - 1] != "\n" { lineStart -= 1 }
                let atLineStart = lineStart > pos || lineStarting
                if atLineStart && lineStart < textEnd && (lineStart..<textEnd).allSatisfy({ src[$0].isPythonWhitespace }) {
                    textEnd = lineStart
                }
            }
            emitData(pos, textEnd, at: pos)
            switch tag.kind {
            case .raw:
                pos = tag.end
                lineStarting = src[tag.end - 1] == "\n"
                try lexRawBody(opening: tag.start)
            case .comment:
                pos = tag.end
                try skipComment(opening: tag.start)
            case .block:
                tokens.append(Token(kind: .blockBegin, location: location(tag.start)))
                pos = tag.end
                try lexTag(isBlock: true)
            case .variable:
                tokens.append(Token(kind: .variableBegin, location: location(tag.start)))
                pos = tag.end
                try lexTag(isBlock: false)
            }
        }
        tokens.append(Token(kind: .eof, location: location(src.count)))
        return tokens
    }

    // MARK: - Root state

    private enum TagKind { case raw, block, comment, variable }

    /// The next `{%`, `{#`, `{{` (or whole `{% raw %}` opener) at or after `from`.
    private func findTagStart(from start: Int) -> (start: Int, end: Int, kind: TagKind, sign: Unicode.Scalar?)? {
        var i = start
        while i + 1 < src.count {
            if src[i] == "{" {
                let c = src[i + 1]
                if c == "%" || c == "#" || c == "{" {
                    var end = i + 2
                    var sign: Unicode.Scalar? = nil
                    if end < src.count && (src[end] == "-" || src[end] == "+") {
                        sign = src[end]
                        end += 1
                    }
                    if c == "%", let rawEnd = matchRawOpener(after: end) {
                        return (i, rawEnd, .raw, sign)
                    }
                    return (i, end, c == "%" ? .block : (c == "#" ? .comment : .variable), sign)
                }
            }
            i += 1
        }
        return nil
    }

    /// Matches `\s*raw\s*(-%}\s*|%})` at `p`; returns the end of the match.
    private func matchRawOpener(after p: Int) -> Int? {
        var i = skipWhitespace(p)
        guard matches("raw", at: i) else { return nil }
        i = skipWhitespace(i + 3)
        if matches("-%}", at: i) { return skipWhitespace(i + 3) }
        if matches("%}", at: i) { return i + 2 }
        return nil
    }

    /// Finds `{%(-|+)?\s*endraw\s*(+%}|-%}\s*|%}\n?)` and emits the raw text before it as data.
    private mutating func lexRawBody(opening: Int) throws(TemplateError) {
        var i = pos
        while i + 1 < src.count {
            if src[i] == "{" && src[i + 1] == "%" {
                var j = i + 2
                var sign: Unicode.Scalar? = nil
                if j < src.count && (src[j] == "-" || src[j] == "+") {
                    sign = src[j]
                    j += 1
                }
                j = skipWhitespace(j)
                if matches("endraw", at: j) {
                    j = skipWhitespace(j + 6)
                    var end: Int? = nil
                    if matches("+%}", at: j) {
                        end = j + 3
                    } else if matches("-%}", at: j) {
                        end = skipWhitespace(j + 3)
                    } else if matches("%}", at: j) {
                        end = j + 2
                        if let e = end, e < src.count && src[e] == "\n" { end = e + 1 }
                    }
                    if let end {
                        var textEnd = i
                        if sign == "-" {
                            while textEnd > pos && src[textEnd - 1].isPythonWhitespace { textEnd -= 1 }
                        } else if sign != "+" {
                            var lineStart = textEnd
                            while lineStart > pos && src[lineStart - 1] != "\n" { lineStart -= 1 }
                            if (lineStart > pos || lineStarting) && lineStart < textEnd
                                && (lineStart..<textEnd).allSatisfy({ src[$0].isPythonWhitespace })
                            {
                                textEnd = lineStart
                            }
                        }
                        emitData(pos, textEnd, at: pos)
                        pos = end
                        lineStarting = src[end - 1] == "\n"
                        return
                    }
                }
            }
            i += 1
        }
        throw .syntax(message: "Missing end of raw directive", location: location(opening))
    }

    /// Skips a comment up to `+#}`, `-#}\s*` or `#}\n?`.
    private mutating func skipComment(opening: Int) throws(TemplateError) {
        var i = pos
        while i < src.count {
            if matches("+#}", at: i) {
                pos = i + 3
                lineStarting = false
                return
            }
            if matches("-#}", at: i) {
                pos = skipWhitespace(i + 3)
                lineStarting = src[pos - 1] == "\n"
                return
            }
            if matches("#}", at: i) {
                pos = i + 2
                if pos < src.count && src[pos] == "\n" { pos += 1 }
                lineStarting = src[pos - 1] == "\n"
                return
            }
            i += 1
        }
        throw .syntax(message: "Missing end of comment tag", location: location(opening))
    }

    private mutating func emitData(_ start: Int, _ end: Int, at p: Int) {
        guard end > start else { return }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: src[start..<end])
        tokens.append(Token(kind: .data(String(s)), location: location(p)))
    }

    // MARK: - Inside a tag

    /// Lexes the inside of `{% … %}` or `{{ … }}` up to and including its end delimiter.
    private mutating func lexTag(isBlock: Bool) throws(TemplateError) {
        var balance: [Unicode.Scalar] = []
        while pos < src.count {
            if balance.isEmpty {
                if isBlock {
                    if matches("+%}", at: pos) {
                        return endTag(at: pos, after: pos + 3, isBlock: true)
                    }
                    if matches("-%}", at: pos) {
                        return endTag(at: pos, after: skipWhitespace(pos + 3), isBlock: true)
                    }
                    if matches("%}", at: pos) {
                        var end = pos + 2
                        if end < src.count && src[end] == "\n" { end += 1 }
                        return endTag(at: pos, after: end, isBlock: true)
                    }
                } else {
                    if matches("-}}", at: pos) {
                        return endTag(at: pos, after: skipWhitespace(pos + 3), isBlock: false)
                    }
                    if matches("}}", at: pos) {
                        return endTag(at: pos, after: pos + 2, isBlock: false)
                    }
                }
            }
            let c = src[pos]
            if c.isPythonWhitespace {
                pos = skipWhitespace(pos)
                continue
            }
            let start = pos
            if let (value, end) = scanFloat(at: pos) {
                tokens.append(Token(kind: .float(value), location: location(start)))
                pos = end
            } else if let (value, end) = try scanInteger(at: pos) {
                tokens.append(Token(kind: .integer(value), location: location(start)))
                pos = end
            } else if c.isIdentifierStart {
                var end = pos + 1
                while end < src.count && src[end].isIdentifierContinue { end += 1 }
                var s = String.UnicodeScalarView()
                s.append(contentsOf: src[pos..<end])
                tokens.append(Token(kind: .name(String(s)), location: location(start)))
                pos = end
            } else if c == "'" || c == "\"" {
                try scanString(quote: c)
            } else if let op = scanOperator(at: pos) {
                let loc = location(start)
                switch op {
                case "(": balance.append(")")
                case "[": balance.append("]")
                case "{": balance.append("}")
                case ")", "]", "}":
                    guard let expected = balance.popLast() else {
                        throw .syntax(message: "unexpected '\(op)'", location: loc)
                    }
                    if String(expected) != op {
                        throw .syntax(message: "unexpected '\(op)', expected '\(expected)'", location: loc)
                    }
                default: break
                }
                tokens.append(Token(kind: .op(op), location: loc))
                pos += op.unicodeScalars.count
            } else {
                throw .syntax(message: "unexpected char \(pythonRepr(String(c))) at \(pos)", location: location(pos))
            }
        }
    }

    private mutating func endTag(at p: Int, after end: Int, isBlock: Bool) {
        tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, location: location(p)))
        pos = end
        lineStarting = src[end - 1] == "\n"
    }

    private static let twoCharOperators: [String] = ["//", "**", "==", "!=", ">=", "<="]
    private static let oneCharOperators: Set<Unicode.Scalar> = [
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ]

    private func scanOperator(at p: Int) -> String? {
        for op in Self.twoCharOperators where matches(op, at: p) { return op }
        if Self.oneCharOperators.contains(src[p]) { return String(src[p]) }
        return nil
    }

    /// jinja2's `float_re`: digits with `_` separators, then a fraction and/or an exponent; never right after `.`.
    private func scanFloat(at p: Int) -> (Double, Int)? {
        guard src[p].isASCIIDigit, p == 0 || src[p - 1] != "." else { return nil }
        guard let intEnd = scanDigitGroup(at: p) else { return nil }
        var end = intEnd
        var sawFraction = false
        if end < src.count && src[end] == ".", let fracEnd = scanDigitGroup(at: end + 1) {
            end = fracEnd
            sawFraction = true
        }
        if end < src.count && (src[end] == "e" || src[end] == "E") {
            var e = end + 1
            if e < src.count && (src[e] == "+" || src[e] == "-") { e += 1 }
            if let expEnd = scanDigitGroup(at: e) {
                end = expEnd
                return parseFloat(p, end)
            }
        }
        return sawFraction ? parseFloat(p, end) : nil
    }

    private func parseFloat(_ start: Int, _ end: Int) -> (Double, Int)? {
        var text = ""
        for s in src[start..<end] where s != "_" { text.unicodeScalars.append(s) }
        guard let value = Double(text) else { return nil }
        return (value, end)
    }

    /// `(\d+_)*\d+` at `p`; returns its end.
    private func scanDigitGroup(at p: Int) -> Int? {
        guard p < src.count, src[p].isASCIIDigit else { return nil }
        var i = p
        while i < src.count {
            if src[i].isASCIIDigit {
                i += 1
            } else if src[i] == "_" && i + 1 < src.count && src[i + 1].isASCIIDigit {
                i += 1
            } else {
                break
            }
        }
        return i
    }

    /// jinja2's `integer_re`: binary, octal, hex, decimal (no leading zeros) or zeros, with `_` separators.
    private func scanInteger(at p: Int) throws(TemplateError) -> (Int, Int)? {
        guard src[p].isASCIIDigit else { return nil }
        func digits(from start: Int, radix: Int) -> Int {
            var i = start
            while i < src.count {
                if src[i] == "_" && i + 1 < src.count && src[i + 1].digitValue(radix: radix) != nil {
                    i += 2
                } else if src[i].digitValue(radix: radix) != nil {
                    i += 1
                } else {
                    break
                }
            }
            return i
        }
        var radix = 10
        var start = p
        var end: Int
        let prefixes: [Unicode.Scalar: Int] = ["b": 2, "B": 2, "o": 8, "O": 8, "x": 16, "X": 16]
        if src[p] == "0" && p + 1 < src.count, let r = prefixes[src[p + 1]] {
            radix = r
            start = p + 2
            end = digits(from: start, radix: r)
            if end == start || (end == start + 1 && src[start] == "_") { radix = 10; start = p; end = p + 1 }
        } else if src[p] == "0" {
            end = p + 1
            while end < src.count && (src[end] == "0" || (src[end] == "_" && end + 1 < src.count && src[end + 1] == "0")) {
                end += 1
            }
        } else {
            end = digits(from: p, radix: 10)
        }
        var text = ""
        for s in src[start..<end] where s != "_" { text.unicodeScalars.append(s) }
        guard let value = Int(text, radix: radix) else {
            throw .unsupported(construct: "integer literal \(text) (beyond 64 bits)", location: location(p))
        }
        return (value, end)
    }

    /// A quoted string literal, unescaped as Python's `unicode-escape` codec does.
    private mutating func scanString(quote: Unicode.Scalar) throws(TemplateError) {
        let start = pos
        var i = pos + 1
        var out = String.UnicodeScalarView()
        while i < src.count {
            let c = src[i]
            if c == quote {
                tokens.append(Token(kind: .string(String(out)), location: location(start)))
                pos = i + 1
                return
            }
            if c == "\\" {
                guard i + 1 < src.count else { break }
                i = try unescape(at: i + 1, into: &out, literalStart: start)
                continue
            }
            out.append(c)
            i += 1
        }
        throw .syntax(message: "unexpected char \(pythonRepr(String(quote))) at \(start)", location: location(start))
    }

    /// Decodes the escape whose letter is at `p`; returns the index after it.
    private func unescape(at p: Int, into out: inout String.UnicodeScalarView, literalStart: Int) throws(TemplateError) -> Int {
        let c = src[p]
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r",
            "t": "\t", "v": "\u{0B}",
        ]
        if let s = simple[c] {
            out.append(s)
            return p + 1
        }
        if c == "\n" { return p + 1 }
        if let d = c.digitValue(radix: 8) {
            var value = d
            var i = p + 1
            while i < src.count && i < p + 3, let more = src[i].digitValue(radix: 8) {
                value = value * 8 + more
                i += 1
            }
            if let s = Unicode.Scalar(UInt32(value)) { out.append(s) }
            return i
        }
        let hexCount: Int? = c == "x" ? 2 : (c == "u" ? 4 : (c == "U" ? 8 : nil))
        if let hexCount {
            var value: UInt32 = 0
            for k in 0..<hexCount {
                guard p + 1 + k < src.count, let d = src[p + 1 + k].digitValue(radix: 16) else {
                    let what = c == "x" ? "\\xXX" : (c == "u" ? "\\uXXXX" : "\\UXXXXXXXX")
                    throw .syntax(message: "truncated \(what) escape", location: location(literalStart))
                }
                value = value * 16 + UInt32(d)
            }
            guard let s = Unicode.Scalar(value) else {
                throw .syntax(message: "illegal Unicode character", location: location(literalStart))
            }
            out.append(s)
            return p + 1 + hexCount
        }
        if c.value > 0x7F {
            // Python first rewrites non-ASCII characters as \x.., \u.... escapes, so "\" + "é" decodes as "\xe9".
            out.append("\\")
            let hex = String(c.value, radix: 16)
            let escaped = c.value <= 0xFF ? "x" + pad(hex, 2) : (c.value <= 0xFFFF ? "u" + pad(hex, 4) : "U" + pad(hex, 8))
            out.append(contentsOf: escaped.unicodeScalars)
            return p + 1
        }
        if c == "N" {
            throw .unsupported(construct: "\\N{…} escape in a string literal", location: location(literalStart))
        }
        out.append("\\")
        out.append(c)
        return p + 1
    }

    private func pad(_ s: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - s.count)) + s
    }

    // MARK: - Helpers

    private func matches(_ literal: String, at p: Int) -> Bool {
        var i = p
        for s in literal.unicodeScalars {
            guard i < src.count, src[i] == s else { return false }
            i += 1
        }
        return true
    }

    private func skipWhitespace(_ p: Int) -> Int {
        var i = p
        while i < src.count && src[i].isPythonWhitespace { i += 1 }
        return i
    }

    private func location(_ p: Int) -> SourceLocation {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= p { lo = mid } else { hi = mid - 1 }
        }
        return SourceLocation(name: name, line: lo + 1, column: p - lineStarts[lo] + 1)
    }
}

extension Unicode.Scalar {
    /// Python's `str.isspace()` (and `\s` in `re`): ASCII whitespace, the separators \x1c-\x1f, and Unicode spaces.
    var isPythonWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }

    var isIdentifierStart: Bool {
        value == 0x5F || properties.isAlphabetic && !isASCIIDigit
    }

    var isIdentifierContinue: Bool {
        value == 0x5F || isASCIIDigit || properties.isAlphabetic || properties.generalCategory == .decimalNumber
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }

    func digitValue(radix: Int) -> Int? {
        let v: Int
        switch value {
        case 0x30...0x39: v = Int(value) - 0x30
        case 0x61...0x7A: v = Int(value) - 0x61 + 10
        case 0x41...0x5A: v = Int(value) - 0x41 + 10
        default: return nil
        }
        return v < radix ? v : nil
    }
}
