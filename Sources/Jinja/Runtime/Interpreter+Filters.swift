// jinja2's builtin filters (plus Hugging Face's `tojson`), with jinja2 3.1's signatures, defaults and quirks:
// `|int` turns "42.5" into 42, `|map`/`|select` return one-shot generators, `|join` stringifies items.
import Foundation

extension Interpreter {
    /// Every filter name jinja2 3.1 knows; the parser rejects others unless they sit in an `if` (as jinja2 does).
    static let knownFilters: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "join", "last",
        "length", "list", "lower", "items", "map", "min", "max", "pprint", "random", "reject", "rejectattr",
        "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum",
        "title", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr",
        "tojson",
    ]

    func applyFilter(_ filter: FilterCall, to value: JinjaValue) throws(TemplateError) -> JinjaValue {
        try applyFilter(filter.name, to: value, try evaluateArguments(filter.arguments), at: filter.location)
    }

    /// Applies filter `name`; `byName` marks a filter named in a string (`map('upper')`), whose absence jinja2
    /// words slightly differently.
    func applyFilter(_ name: String, to value: JinjaValue, _ args: CallArguments, at location: SourceLocation,
                     byName: Bool = false) throws(TemplateError) -> JinjaValue
    {
        func fail(_ message: String) -> TemplateError { .runtime(message: message, location: location) }
        func undefinedCheck(_ v: JinjaValue) throws(TemplateError) {
            if case .undefined(let u) = v { throw undefinedError(u, location) }
        }
        switch name {
        case "tojson":
            var style = JSONStyle()
            style.ensureASCII = args.value(0, "ensure_ascii")?.isTruthy ?? false
            if let indent = args.value(1, "indent"), !indent.isNone {
                if case .int(let n)? = indent.numeric, indent.isIntegral {
                    if n > Self.maxWidth { throw fail("indent too big") }
                    style.indent = String(repeating: " ", count: max(0, n))
                } else if let text = indent.stringValue {
                    style.indent = text
                } else {
                    throw fail("indent must be an int or a str, not \(indent.pythonTypeName)")
                }
            }
            if let separators = args.value(2, "separators"), !separators.isNone {
                let parts = try iterate(separators, at: location)
                guard parts.count == 2, let item = parts[0].stringValue, let key = parts[1].stringValue else {
                    throw fail("separators must be a pair of strings")
                }
                style.itemSeparator = item
                style.keySeparator = key
            }
            style.sortKeys = args.value(3, "sort_keys")?.isTruthy ?? false
            do {
                return .string(try pythonJSONDumps(value, style: style))
            } catch {
                throw located(error, location)
            }
        case "safe":
            return .markup(value.pythonString)
        case "escape", "e", "forceescape":
            if case .markup = value, name != "forceescape" { return value }
            return .markup(htmlEscape(value.pythonString))
        case "string":
            if case .markup = value { return value }
            return .string(try display(value, at: location))
        case "length", "count":
            return .int(try length(of: value, at: location))
        case "trim":
            let chars = args.value(0, "chars").flatMap { $0.isNone ? nil : $0.stringValue }
            return sameKind(value, PyString.strip(value.pythonString, chars, leading: true, trailing: true))
        case "upper":
            return sameKind(value, PyString.upper(value.pythonString))
        case "lower":
            return sameKind(value, PyString.lower(value.pythonString))
        case "capitalize":
            return sameKind(value, PyString.capitalize(value.pythonString))
        case "title":
            return sameKind(value, jinjaTitle(value.pythonString))
        case "center":
            var width = 80
            if let w = args.value(0, "width"), case .int(let n)? = w.numeric { width = n }
            if width > Self.maxWidth { throw fail("width too big") }
            return sameKind(value, PyString.pad(value.pythonString, width: width, fill: " ", align: "^"))
        case "default", "d":
            let fallback = args.value(0, "default_value") ?? .string("")
            let boolean = args.value(1, "boolean")?.isTruthy ?? false
            if value.isUndefined || (boolean && !value.isTruthy) { return fallback }
            return value
        case "first":
            if case .opaque(let o) = value, case .generator(let id, _) = o.kind {
                if generators[id].isEmpty {
                    return .undefined(JinjaUndefined(message: "No first item, sequence was empty."))
                }
                return generators[id].removeFirst()
            }
            return try iterate(value, at: location).first
                ?? .undefined(JinjaUndefined(message: "No first item, sequence was empty."))
        case "last":
            switch value {
            case .undefined, .string, .markup, .array, .tuple, .object: break
            case .opaque(let o) where o.reusableItems != nil: break
            default: throw fail("'\(value.pythonTypeName)' object is not reversible")
            }
            return try iterate(value, at: location).last
                ?? .undefined(JinjaUndefined(message: "No last item, sequence was empty."))
        case "list":
            return .array(try iterate(value, at: location))
        case "join":
            var items = try iterate(value, at: location)
            if let attribute = args.value(1, "attribute"), !attribute.isNone {
                items = try items.map { (item) throws(TemplateError) in try attributePath(item, attribute, at: location) }
            }
            let separator = args.value(0, "d")?.pythonString ?? ""
            var parts: [String] = []
            for item in items { parts.append(try display(item, at: location)) }
            return .string(parts.joined(separator: separator))
        case "items":
            switch value {
            case .undefined: return makeGenerator([])
            case .object(let o): return makeGenerator(o.entries.map { .tuple([$0.key, $0.value]) })
            default: throw fail("Can only get item pairs from a mapping.")
            }
        case "dictsort":
            try undefinedCheck(value)
            guard case .object(let o) = value else { throw fail("'\(value.pythonTypeName)' object has no attribute 'items'") }
            let caseSensitive = args.value(0, "case_sensitive")?.isTruthy ?? false
            let by = args.value(1, "by")?.stringValue ?? "key"
            let reverse = args.value(2, "reverse")?.isTruthy ?? false
            guard by == "key" || by == "value" else { throw fail("You can only sort by either \"key\" or \"value\"") }
            let pairs = o.entries.map { JinjaValue.tuple([$0.key, $0.value]) }
            let sorted = try sortValues(pairs, reverse: reverse, at: location) { (pair) throws(TemplateError) in
                guard case .tuple(let kv) = pair else { return pair }
                let key = by == "key" ? kv[0] : kv[1]
                return caseSensitive ? key : foldCase(key)
            }
            return .array(sorted)
        case "sort":
            let reverse = args.value(0, "reverse")?.isTruthy ?? false
            let caseSensitive = args.value(1, "case_sensitive")?.isTruthy ?? false
            let attribute = args.value(2, "attribute")
            let items = try iterate(value, at: location)
            return .array(try sortValues(items, reverse: reverse, at: location) { (item) throws(TemplateError) in
                var key = item
                if let attribute, !attribute.isNone {
                    let paths = attribute.stringValue.map { $0.split(separator: ",").map { JinjaValue.string(String($0)) } }
                        ?? [attribute]
                    if paths.count > 1 {
                        var keys: [JinjaValue] = []
                        for p in paths {
                            let k = try attributePath(item, p, at: location)
                            keys.append(caseSensitive ? k : foldCase(k))
                        }
                        return .array(keys)
                    }
                    key = try attributePath(item, attribute, at: location)
                }
                return caseSensitive ? key : foldCase(key)
            })
        case "unique":
            let caseSensitive = args.value(0, "case_sensitive")?.isTruthy ?? false
            let attribute = args.value(1, "attribute")
            var seen = Set<DictKey>()
            var result: [JinjaValue] = []
            for item in try iterate(value, at: location) {
                var key = item
                if let attribute, !attribute.isNone { key = try attributePath(item, attribute, at: location) }
                if !caseSensitive { key = foldCase(key) }
                guard let hash = pythonHashKey(key) else { throw fail("unhashable type: '\(key.pythonTypeName)'") }
                if seen.insert(hash).inserted { result.append(item) }
            }
            return makeGenerator(result)
        case "min", "max":
            let caseSensitive = args.value(0, "case_sensitive")?.isTruthy ?? false
            let attribute = args.value(1, "attribute")
            let items = try iterate(value, at: location)
            guard !items.isEmpty else {
                return .undefined(JinjaUndefined(message: "No aggregated item, sequence was empty."))
            }
            var keys: [JinjaValue] = []
            for item in items {
                var key = item
                if let attribute, !attribute.isNone { key = try attributePath(item, attribute, at: location) }
                keys.append(caseSensitive ? key : foldCase(key))
            }
            // Python's min/max keep the first of equal candidates.
            var best = 0
            for i in keys.indices.dropFirst() {
                let order: Int
                do {
                    order = try pythonCompare(keys[i], keys[best], op: name == "min" ? "<" : ">")
                } catch {
                    throw located(error, location)
                }
                if name == "min" ? order < 0 : order > 0 { best = i }
            }
            return items[best]
        case "sum":
            let attribute = args.value(0, "attribute")
            var total = args.value(1, "start") ?? .int(0)
            for item in try iterate(value, at: location) {
                var v = item
                if let attribute, !attribute.isNone { v = try attributePath(item, attribute, at: location) }
                total = try binary(.add, total, v, at: location)
            }
            return total
        case "map":
            // jinja2 checks `if value:` first, so none or an empty string maps to nothing instead of failing.
            let items = value.isTruthy ? try iterate(value, at: location) : []
            if let attribute = args.keyword.first(where: { $0.0 == "attribute" })?.1 {
                let fallback = args.keyword.first(where: { $0.0 == "default" })?.1
                var mapped: [JinjaValue] = []
                for item in items {
                    var v = try attributePath(item, attribute, at: location)
                    if let fallback, v.isUndefined { v = fallback }
                    mapped.append(v)
                }
                return makeGenerator(mapped)
            }
            guard let filterName = args.positional.first?.stringValue else {
                if args.positional.isEmpty && args.keyword.isEmpty { return makeGenerator(items) }
                throw fail("map requires a filter argument")
            }
            let rest = CallArguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
            var mapped: [JinjaValue] = []
            for item in items {
                mapped.append(try applyFilter(filterName, to: item, rest, at: location, byName: true))
            }
            return makeGenerator(mapped)
        case "select", "reject", "selectattr", "rejectattr":
            let byAttribute = name.hasSuffix("attr")
            var offset = 0
            var attribute: JinjaValue? = nil
            if byAttribute {
                guard let a = args.positional.first else { throw fail("Missing parameter for attribute name") }
                attribute = a
                offset = 1
            }
            let testName = args.positional.count > offset ? args.positional[offset].stringValue : nil
            let testArgs = CallArguments(positional: Array(args.positional.dropFirst(offset + 1)), keyword: args.keyword)
            let keep = name.hasPrefix("select")
            var result: [JinjaValue] = []
            for item in value.isTruthy ? try iterate(value, at: location) : [] {
                var subject = item
                if let attribute { subject = try attributePath(item, attribute, at: location) }
                var passed = subject.isTruthy
                if let testName {
                    passed = try applyTest(testName, to: subject, testArgs, at: location, byName: true)
                }
                if passed == keep { result.append(item) }
            }
            return makeGenerator(result)
        case "replace":
            guard let old = args.value(0, "old"), let new = args.value(1, "new") else {
                throw fail("do_replace() missing required positional arguments")
            }
            var count = -1
            if let c = args.value(2, "count"), !c.isNone, case .int(let n)? = c.numeric { count = n }
            return .string(PyString.replace(value.pythonString, old.pythonString, new.pythonString, count: count))
        case "indent":
            guard let text = value.stringValue else {
                try undefinedCheck(value)
                switch value {
                case .array: throw fail("'list' object has no attribute 'splitlines'")
                case .tuple: throw fail("can only concatenate tuple (not \"str\") to tuple")
                default: throw fail("unsupported operand type(s) for +=: '\(value.pythonTypeName)' and 'str'")
                }
            }
            var indentation = "    "
            if let w = args.value(0, "width") {
                if let s = w.stringValue { indentation = s }
                else if case .int(let n)? = w.numeric {
                    if n > Self.maxWidth { throw fail("indent too big") }
                    indentation = String(repeating: " ", count: max(0, n))
                }
            }
            let first = args.value(1, "first")?.isTruthy ?? false
            let blank = args.value(2, "blank")?.isTruthy ?? false
            var lines = PyString.splitlines(text + "\n", keepends: false)
            var result: String
            if blank {
                result = lines.joined(separator: "\n" + indentation)
            } else {
                result = lines.isEmpty ? "" : lines.removeFirst()
                if !lines.isEmpty {
                    result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
                }
            }
            if first { result = indentation + result }
            return sameKind(value, result)
        case "int":
            try undefinedCheck(value)
            let fallback = args.value(0, "default") ?? .int(0)
            var base = 10
            if let b = args.value(1, "base"), case .int(let n)? = b.numeric { base = n }
            return toInt(value, base: base) ?? fallback
        case "float":
            try undefinedCheck(value)
            let fallback = args.value(0, "default") ?? .float(0)
            return toFloat(value).map(JinjaValue.float) ?? fallback
        case "abs":
            switch value.numeric {
            case .int(let n)?:
                guard n != Int.min else { throw .unsupported(construct: "integer beyond 64 bits", location: location) }
                return .int(abs(n))
            case .float(let f)?: return .float(abs(f))
            case nil: throw fail("bad operand type for abs(): '\(value.pythonTypeName)'")
            }
        case "round":
            var precision = 0
            if let p = args.value(0, "precision"), case .int(let n)? = p.numeric { precision = n }
            let method = args.value(1, "method")?.stringValue ?? "common"
            guard ["common", "ceil", "floor"].contains(method) else {
                throw fail("method must be common, ceil or floor")
            }
            guard let number = value.numeric else {
                throw fail("type \(value.pythonTypeName) doesn't define __round__ method")
            }
            if method == "common" {
                if case .int(let n) = number {
                    guard precision < 0 else { return .int(n) }
                    guard precision > -19 else { return .int(0) }
                    // Python rounds integers to a negative number of digits half-to-even, staying an int.
                    var scale = 1
                    for _ in 0..<(-precision) { scale *= 10 }
                    var q = n / scale
                    let r = n - q * scale
                    if 2 * abs(r) > scale || (2 * abs(r) == scale && q % 2 != 0) { q += r < 0 ? -1 : 1 }
                    let (result, overflow) = q.multipliedReportingOverflow(by: scale)
                    if overflow { throw .unsupported(construct: "integer beyond 64 bits", location: location) }
                    return .int(result)
                }
                let d = number.double
                if !d.isFinite || precision > 340 { return .float(d) }
                if precision < 0 {
                    let scale = pow(10.0, Double(-precision))
                    return .float((d / scale).rounded(.toNearestOrEven) * scale)
                }
                // printf rounds the exact binary value half-to-even, as Python's round does.
                return .float(Double(String(format: "%.\(precision)f", d)) ?? d)
            }
            let scale = pow(10.0, Double(max(-340, min(340, precision))))
            let scaled = number.double * scale
            return .float((method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)) / scale)
        case "reverse":
            switch value {
            case .string(let s): return .string(PyString.string(s.unicodeScalars.reversed()))
            case .markup(let s): return .markup(PyString.string(s.unicodeScalars.reversed()))
            case .array(let items): return makeGenerator(items.reversed(), typeName: "list_reverseiterator")
            case .tuple(let items): return makeGenerator(items.reversed(), typeName: "reversed")
            case .object(let o):
                return makeGenerator(o.keyValues.reversed(), typeName: "dict_reversekeyiterator")
            case .undefined: return .array([])
            case .opaque(let o) where o.reusableItems != nil || { if case .generator = o.kind { return true }; return false }():
                return .array(try iterate(value, at: location).reversed())
            default:
                throw fail("argument must be iterable")
            }
        case "batch", "slice":
            guard let countValue = args.value(0, name == "batch" ? "linecount" : "slices"),
                case .int(let count)? = countValue.numeric, count > 0
            else { throw fail("\(name) needs a positive count") }
            let fill = args.value(1, "fill_with")
            let items = try iterate(value, at: location)
            var groups: [JinjaValue] = []
            if name == "batch" {
                var start = 0
                while start < items.count {
                    let end = items.count - start <= count ? items.count : start + count
                    var group = Array(items[start..<end])
                    if let fill, !fill.isNone, group.count < count {
                        if count > Self.maxWidth { throw fail("batch size too big") }
                        group += Array(repeating: fill, count: count - group.count)
                    }
                    groups.append(.array(group))
                    start = end
                }
            } else {
                if count > 100_000 { throw fail("too many slices") }
                let perSlice = items.count / count
                let withExtra = items.count % count
                var offset = 0
                for i in 0..<count {
                    let start = offset + i * perSlice
                    if i < withExtra { offset += 1 }
                    let end = offset + (i + 1) * perSlice
                    var group = Array(items[start..<end])
                    if let fill, !fill.isNone, i >= withExtra { group.append(fill) }
                    groups.append(.array(group))
                }
            }
            return makeGenerator(groups)
        case "attr":
            try undefinedCheck(value)
            let attributeName = args.value(0, "name")?.pythonString ?? ""
            if case .object = value, !Self.dictMethods.contains(attributeName), !Self.dictMutators.contains(attributeName) {
                return .undefined(JinjaUndefined(message: "\(pythonRepr(value.objectTypeRepr)) has no attribute"
                    + " \(pythonRepr(attributeName))"))
            }
            return try attribute(of: value, attributeName, at: location)
        case "format":
            let text = value.pythonString
            if !args.keyword.isEmpty {
                var o = JinjaObject()
                for (k, v) in args.keyword { o[k] = v }
                return .string(try percentFormat(text, .object(o), at: location))
            }
            return .string(try percentFormat(text, .tuple(args.positional), at: location))
        case "wordcount":
            var count = 0
            var inWord = false
            for c in value.pythonString.unicodeScalars {
                let word = c.properties.isAlphabetic || c.properties.numericType != nil || c == "_"
                if word && !inWord { count += 1 }
                inWord = word
            }
            return .int(count)
        case "truncate":
            let text = value.pythonString
            var length = 255
            if let l = args.value(0, "length"), case .int(let n)? = l.numeric { length = n }
            let killwords = args.value(1, "killwords")?.isTruthy ?? false
            let end = args.value(2, "end")?.pythonString ?? "..."
            var leeway = 5
            if let l = args.value(3, "leeway"), !l.isNone, case .int(let n)? = l.numeric { leeway = n }
            let scalars = PyString.scalars(text)
            if scalars.count <= length + leeway { return value }
            let cut = PyString.string(scalars.prefix(max(0, length - end.unicodeScalars.count)))
            if killwords { return .string(cut + end) }
            return .string((PyString.rsplit(cut, " ", maxsplit: 1).first ?? "") + end)
        default:
            if Self.knownFilters.contains(name) {
                throw .unsupported(construct: "filter `\(name)`", location: location)
            }
            throw fail("No filter named \(pythonRepr(name))\(byName ? "." : " found.")")
        }
    }

    // MARK: - Helpers

    /// Keeps Markup as Markup (markupsafe's str methods return Markup), plain strings as strings.
    private func sameKind(_ original: JinjaValue, _ text: String) -> JinjaValue {
        if case .markup = original { return .markup(text) }
        return .string(text)
    }

    /// Python's `len(x)`; undefined has length 0.
    func length(of value: JinjaValue, at location: SourceLocation) throws(TemplateError) -> Int {
        switch value {
        case .undefined: return 0
        case .string(let s), .markup(let s): return s.unicodeScalars.count
        case .array(let a), .tuple(let a): return a.count
        case .object(let o): return o.count
        case .opaque(let o):
            if case .loop(let info) = o.kind { return info.items.count }
            if let items = o.reusableItems { return items.count }
            if case .namespace = o.kind {
                throw .runtime(message: "object of type 'Namespace' has no len()", location: location)
            }
            fallthrough
        default:
            throw .runtime(message: "object of type '\(value.pythonTypeName)' has no len()", location: location)
        }
    }

    /// jinja2's `make_attrgetter`: `"a.b.0"` looks up items along the path (item first, then attribute).
    func attributePath(_ value: JinjaValue, _ path: JinjaValue, at location: SourceLocation) throws(TemplateError)
        -> JinjaValue
    {
        guard let text = path.stringValue else { return try item(of: value, path, at: location) }
        var current = value
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let key: JinjaValue = part.allSatisfy(\.isASCII) && !part.isEmpty && part.allSatisfy(\.isNumber)
                ? .int(Int(part) ?? 0) : .string(String(part))
            current = try item(of: current, key, at: location)
        }
        return current
    }

    /// Lower-cases strings for jinja2's case-insensitive sorting and uniqueness.
    func foldCase(_ v: JinjaValue) -> JinjaValue {
        if let s = v.stringValue { return .string(PyString.lower(s)) }
        return v
    }

    /// A stable sort by `key`, failing as Python's `sorted` fails on unorderable keys.
    func sortValues(_ items: [JinjaValue], reverse: Bool, at location: SourceLocation,
                    key: (JinjaValue) throws(TemplateError) -> JinjaValue) throws(TemplateError) -> [JinjaValue]
    {
        var keyed: [(key: JinjaValue, value: JinjaValue, index: Int)] = []
        for (i, item) in items.enumerated() { keyed.append((try key(item), item, i)) }
        var failure: PythonFailure? = nil
        keyed.sort { a, b in
            if failure != nil { return false }
            do throws(PythonFailure) {
                let order = try pythonCompare(a.key, b.key, op: "<")
                if order == 0 { return a.index < b.index }
                return reverse ? order > 0 : order < 0
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw located(failure, location) }
        return keyed.map(\.value)
    }

    /// jinja2's `|title`: words split at runs of `-`, whitespace, `(`, `{`, `[`, `<`; each word capitalised.
    private func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for c in s.unicodeScalars {
            let separator = c == "-" || c == "(" || c == "{" || c == "[" || c == "<" || c.isPythonWhitespace
            if separator {
                out.unicodeScalars.append(c)
                atWordStart = true
            } else {
                out += atWordStart ? c.properties.uppercaseMapping : c.properties.lowercaseMapping
                atWordStart = false
            }
        }
        return out
    }

    private func toInt(_ value: JinjaValue, base: Int) -> JinjaValue? {
        switch value {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int(let n): return .int(n)
        case .float(let f):
            guard f.isFinite, abs(f) < 9.2e18 else { return nil }
            return .int(Int(f.rounded(.towardZero)))
        case .string(let s), .markup(let s):
            var text = PyString.strip(s, nil, leading: true, trailing: true).replacingOccurrences(of: "_", with: "")
            var negative = false
            if text.hasPrefix("-") || text.hasPrefix("+") {
                negative = text.hasPrefix("-")
                text.removeFirst()
            }
            var radix = base
            let lower = text.lowercased()
            if base == 16 && lower.hasPrefix("0x") { text.removeFirst(2) }
            if base == 0 {
                if lower.hasPrefix("0x") { radix = 16; text.removeFirst(2) }
                else if lower.hasPrefix("0o") { radix = 8; text.removeFirst(2) }
                else if lower.hasPrefix("0b") { radix = 2; text.removeFirst(2) }
                else { radix = 10 }
            }
            if !text.isEmpty, let n = Int(text, radix: radix) { return .int(negative ? -n : n) }
            if let f = toFloat(value) { return toInt(.float(f), base: 10) }
            return nil
        default:
            return nil
        }
    }

    private func toFloat(_ value: JinjaValue) -> Double? {
        switch value {
        case .bool(let b): return b ? 1 : 0
        case .int(let n): return Double(n)
        case .float(let f): return f
        case .string(let s), .markup(let s):
            let text = PyString.strip(s, nil, leading: true, trailing: true).replacingOccurrences(of: "_", with: "")
            let lower = text.lowercased()
            if ["inf", "+inf", "infinity", "+infinity"].contains(lower) { return .infinity }
            if ["-inf", "-infinity"].contains(lower) { return -.infinity }
            if ["nan", "+nan", "-nan"].contains(lower) { return .nan }
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else {
                return nil
            }
            return Double(text)
        default:
            return nil
        }
    }
}
