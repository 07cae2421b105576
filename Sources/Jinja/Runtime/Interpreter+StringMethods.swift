// Python's str methods as templates call them (`content.split('</think>')[-1].strip()`, `'{}'.format(x)`).

extension Interpreter {
    func stringMethod(_ s: String, _ name: String, _ args: CallArguments, at location: SourceLocation)
        throws(TemplateError) -> JinjaValue
    {
        func string(_ i: Int, _ key: String) throws(TemplateError) -> String? {
            guard let v = args.value(i, key), !v.isNone else { return nil }
            guard let text = v.stringValue else {
                throw .runtime(message: "must be str or None, not \(v.pythonTypeName)", location: location)
            }
            return text
        }
        func requiredString(_ i: Int, _ key: String) throws(TemplateError) -> String {
            guard let v = args.value(i, key) else {
                throw .runtime(message: "\(name)() takes at least 1 argument (0 given)", location: location)
            }
            guard let text = v.stringValue else {
                throw .runtime(message: "must be str, not \(v.pythonTypeName)", location: location)
            }
            return text
        }
        func int(_ i: Int, _ key: String) throws(TemplateError) -> Int? {
            guard let v = args.value(i, key), !v.isNone else { return nil }
            guard case .int(let n)? = v.numeric, v.isIntegral else {
                throw .runtime(message: "'\(v.pythonTypeName)' object cannot be interpreted as an integer",
                               location: location)
            }
            return n
        }
        switch name {
        case "strip": return .string(PyString.strip(s, try string(0, "chars"), leading: true, trailing: true))
        case "lstrip": return .string(PyString.strip(s, try string(0, "chars"), leading: true, trailing: false))
        case "rstrip": return .string(PyString.strip(s, try string(0, "chars"), leading: false, trailing: true))
        case "split", "rsplit":
            let sep = try string(0, "sep")
            if sep == "" { throw .runtime(message: "empty separator", location: location) }
            let maxsplit = try int(1, "maxsplit") ?? -1
            let parts = name == "split" ? PyString.split(s, sep, maxsplit: maxsplit)
                : PyString.rsplit(s, sep, maxsplit: maxsplit)
            return .array(parts.map { .string($0) })
        case "splitlines":
            let keep = args.value(0, "keepends")?.isTruthy ?? false
            return .array(PyString.splitlines(s, keepends: keep).map { .string($0) })
        case "startswith", "endswith":
            guard let arg = args.value(0, name == "startswith" ? "prefix" : "suffix") else {
                throw .runtime(message: "\(name)() takes at least 1 argument (0 given)", location: location)
            }
            var candidates: [String] = []
            switch arg {
            case .string(let p), .markup(let p): candidates = [p]
            case .tuple(let items):
                for item in items {
                    guard let p = item.stringValue else {
                        throw .runtime(message: "tuple for \(name) must only contain str, not \(item.pythonTypeName)",
                                       location: location)
                    }
                    candidates.append(p)
                }
            default:
                throw .runtime(message: "\(name) first arg must be str or a tuple of str, not \(arg.pythonTypeName)",
                               location: location)
            }
            let a = PyString.scalars(s)
            let (from, to) = PyString.clampRange(a.count, try int(1, "start"), try int(2, "end"))
            let window = from <= to ? Array(a[from..<to]) : []
            for c in candidates {
                let p = PyString.scalars(c)
                if from > a.count || p.count > window.count { continue }
                if name == "startswith" ? window.starts(with: p) : window.reversed().starts(with: p.reversed()) {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "replace":
            let old = try requiredString(0, "old")
            guard let newValue = args.value(1, "new"), let new = newValue.stringValue else {
                throw .runtime(message: "replace expected at least 2 arguments", location: location)
            }
            return .string(PyString.replace(s, old, new, count: try int(2, "count") ?? -1))
        case "find", "index", "rfind", "rindex":
            let needle = try requiredString(0, "sub")
            let start = try int(1, "start")
            let end = try int(2, "end")
            let found = name.hasPrefix("r") ? PyString.rfind(s, needle, start: start, end: end)
                : PyString.find(s, needle, start: start, end: end)
            if let found { return .int(found) }
            if name.hasSuffix("index") { throw .runtime(message: "substring not found", location: location) }
            return .int(-1)
        case "count":
            return .int(PyString.count(s, try requiredString(0, "sub")))
        case "upper": return .string(PyString.upper(s))
        case "lower", "casefold": return .string(PyString.lower(s))
        case "title": return .string(PyString.title(s))
        case "capitalize": return .string(PyString.capitalize(s))
        case "swapcase": return .string(PyString.swapcase(s))
        case "join":
            let items = try iterate(args.value(0, "iterable") ?? .array([]), at: location)
            var parts: [String] = []
            for (i, item) in items.enumerated() {
                guard let text = item.stringValue else {
                    throw .runtime(message: "sequence item \(i): expected str instance, \(item.pythonTypeName) found",
                                   location: location)
                }
                parts.append(text)
            }
            return .string(parts.joined(separator: s))
        case "format":
            return .string(try pythonFormat(s, args, at: location))
        case "removeprefix", "removesuffix":
            let affix = try requiredString(0, name == "removeprefix" ? "prefix" : "suffix")
            let a = PyString.scalars(s)
            let p = PyString.scalars(affix)
            if name == "removeprefix" && a.starts(with: p) { return .string(PyString.string(a.dropFirst(p.count))) }
            if name == "removesuffix" && !p.isEmpty && a.reversed().starts(with: p.reversed()) {
                return .string(PyString.string(a.dropLast(p.count)))
            }
            return .string(s)
        case "center", "ljust", "rjust":
            guard let width = try int(0, "width") else {
                throw .runtime(message: "\(name)() takes at least 1 argument (0 given)", location: location)
            }
            if width > Interpreter.maxWidth { throw .runtime(message: "width too big", location: location) }
            let fill = try string(1, "fillchar") ?? " "
            guard fill.unicodeScalars.count == 1, let f = fill.unicodeScalars.first else {
                throw .runtime(message: "The fill character must be exactly one character long", location: location)
            }
            let align: Character = name == "center" ? "^" : (name == "ljust" ? "<" : ">")
            return .string(PyString.pad(s, width: width, fill: f, align: align))
        case "zfill":
            let width = try int(0, "width") ?? 0
            if width > Interpreter.maxWidth { throw .runtime(message: "width too big", location: location) }
            let a = PyString.scalars(s)
            guard width > a.count else { return .string(s) }
            let zeros = String(repeating: "0", count: width - a.count)
            if let first = a.first, first == "+" || first == "-" {
                return .string(String(first) + zeros + PyString.string(a.dropFirst()))
            }
            return .string(zeros + s)
        case "partition", "rpartition":
            let sep = try requiredString(0, "sep")
            if sep.isEmpty { throw .runtime(message: "empty separator", location: location) }
            let found = name == "partition" ? PyString.find(s, sep) : PyString.rfind(s, sep)
            let a = PyString.scalars(s)
            guard let i = found else {
                return name == "partition" ? .tuple([.string(s), "", ""]) : .tuple(["", "", .string(s)])
            }
            let n = sep.unicodeScalars.count
            return .tuple([.string(PyString.string(a[..<i])), .string(sep), .string(PyString.string(a[(i + n)...]))])
        case "isdigit", "isdecimal", "isnumeric":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
        case "isalpha":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isalnum":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || $0.properties.numericType != nil
            })
        case "isspace":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(\.isPythonWhitespace))
        case "isascii":
            return .bool(s.unicodeScalars.allSatisfy { $0.isASCII })
        case "islower", "isupper":
            let cased = s.unicodeScalars.filter(PyString.isCased)
            let wantLower = name == "islower"
            return .bool(!cased.isEmpty && cased.allSatisfy { c in
                c.properties.generalCategory != .titlecaseLetter
                    && (wantLower ? !c.properties.isUppercase : !c.properties.isLowercase)
            })
        default:
            throw .unsupported(construct: "method `str.\(name)()`", location: location)
        }
    }
}
