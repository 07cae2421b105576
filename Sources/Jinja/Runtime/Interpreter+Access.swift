// Attribute and item access, slicing and iteration, with jinja2's sandbox rules: Python attributes first, then
// items; a missing one is an Undefined carrying jinja2's message; methods that mutate lists/dicts are unsafe.

extension Interpreter {
    static let stringMethods: Set<String> = [
        "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format",
        "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
        "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans",
        "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit",
        "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill",
    ]
    static let listMethods: Set<String> = ["copy", "count", "index"]
    static let listMutators: Set<String> = ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"]
    static let tupleMethods: Set<String> = ["count", "index"]
    static let dictMethods: Set<String> = ["copy", "fromkeys", "get", "items", "keys", "values"]
    static let dictMutators: Set<String> = ["clear", "pop", "popitem", "setdefault", "update"]
    static let numberAttributes: Set<String> = [
        "as_integer_ratio", "bit_count", "bit_length", "conjugate", "denominator", "from_bytes", "imag",
        "is_integer", "numerator", "real", "to_bytes", "hex", "fromhex",
    ]

    private func method(_ receiver: JinjaValue, _ name: String) -> JinjaValue {
        .opaque(JinjaOpaque(.method(receiver, name)))
    }

    private func unsafeAttribute(_ receiver: JinjaValue, _ name: String) -> JinjaValue {
        .undefined(JinjaUndefined(
            message: "access to attribute \(pythonRepr(name)) of \(pythonRepr(receiver.pythonTypeName)) object is unsafe.",
            isUnsafe: true))
    }

    private func missingAttribute(_ receiver: JinjaValue, _ name: String) -> JinjaValue {
        .undefined(JinjaUndefined(message: "\(pythonRepr(receiver.objectTypeRepr)) has no attribute \(pythonRepr(name))"))
    }

    private func missingElement(_ receiver: JinjaValue, _ key: JinjaValue) -> JinjaValue {
        .undefined(JinjaUndefined(message: "\(receiver.objectTypeRepr) has no element \(key.pythonRepr)"))
    }

    /// The Python attribute `name` of `value`, or nil when Python has none.
    private func pythonAttribute(of value: JinjaValue, _ name: String) -> JinjaValue? {
        if name.hasPrefix("_") { return nil }
        switch value {
        case .string, .markup:
            return Self.stringMethods.contains(name) ? method(value, name) : nil
        case .array:
            if Self.listMethods.contains(name) { return method(value, name) }
            return Self.listMutators.contains(name) ? unsafeAttribute(value, name) : nil
        case .tuple:
            return Self.tupleMethods.contains(name) ? method(value, name) : nil
        case .object:
            if Self.dictMethods.contains(name) { return method(value, name) }
            return Self.dictMutators.contains(name) ? unsafeAttribute(value, name) : nil
        case .int, .float, .bool:
            return Self.numberAttributes.contains(name) ? method(value, name) : nil
        case .opaque(let o):
            switch o.kind {
            case .namespace(let id): return namespaces[id][name]
            case .loop(let info): return loopAttribute(info, name, value)
            case .range: return Self.tupleMethods.contains(name) ? method(value, name) : nil
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `value.name` (jinja2's `getattr`: Python attribute first, then item).
    func attribute(of value: JinjaValue, _ name: String, at location: SourceLocation) throws(TemplateError)
        -> JinjaValue
    {
        if case .undefined(let u) = value { throw undefinedError(u, location) }
        if let attr = pythonAttribute(of: value, name) { return attr }
        if case .object(let o) = value, let v = o[name] { return v }
        return missingAttribute(value, name)
    }

    /// `value[key]` (jinja2's `getitem`: item first, then, for string keys, Python attribute).
    func item(of value: JinjaValue, _ key: JinjaValue, at location: SourceLocation) throws(TemplateError)
        -> JinjaValue
    {
        if case .undefined(let u) = value { throw undefinedError(u, location) }
        switch value {
        case .object(let o):
            if let v = o[key: key] { return v }
        case .array(let items), .tuple(let items):
            if case .int(let i)? = key.numeric, key.isIntegral {
                let index = i < 0 ? i + items.count : i
                if index >= 0 && index < items.count { return items[index] }
            }
        case .opaque(let o) where o.reusableItems != nil:
            if case .range = o.kind, case .int(let i)? = key.numeric, key.isIntegral, let items = o.reusableItems {
                let index = i < 0 ? i + items.count : i
                if index >= 0 && index < items.count { return items[index] }
            }
        case .string(let s), .markup(let s):
            if case .int(let i)? = key.numeric, key.isIntegral {
                let scalars = Array(s.unicodeScalars)
                let index = i < 0 ? i + scalars.count : i
                if index >= 0 && index < scalars.count { return .string(String(scalars[index])) }
            }
        default:
            break
        }
        if let name = key.stringValue {
            if let attr = pythonAttribute(of: value, name) { return attr }
            return missingAttribute(value, name)
        }
        return missingElement(value, key)
    }

    /// `value[start:stop:step]` for strings, lists and tuples.
    func slice(_ value: JinjaValue, _ start: JinjaValue?, _ stop: JinjaValue?, _ step: JinjaValue?,
               at location: SourceLocation) throws(TemplateError) -> JinjaValue
    {
        if case .undefined(let u) = value { throw undefinedError(u, location) }
        func bound(_ v: JinjaValue?) -> (ok: Bool, value: Int?) {
            guard let v, !v.isNone else { return (true, nil) }
            if case .int(let i)? = v.numeric, v.isIntegral { return (true, i) }
            return (false, nil)
        }
        let (b1, b2, b3) = (bound(start), bound(stop), bound(step))
        let describe = "slice(\(start?.pythonRepr ?? "None"), \(stop?.pythonRepr ?? "None"), \(step?.pythonRepr ?? "None"))"
        guard b1.ok, b2.ok, b3.ok else {
            return .undefined(JinjaUndefined(message: "\(value.objectTypeRepr) has no element \(describe)"))
        }
        if b3.value == 0 { throw .runtime(message: "slice step cannot be zero", location: location) }
        func pick<T>(_ items: [T]) -> [T] {
            PySlice.indices(count: items.count, start: b1.value, stop: b2.value, step: b3.value).map { items[$0] }
        }
        switch value {
        case .string(let s): return .string(String(String.UnicodeScalarView(pick(Array(s.unicodeScalars)))))
        case .markup(let s): return .markup(String(String.UnicodeScalarView(pick(Array(s.unicodeScalars)))))
        case .array(let items): return .array(pick(items))
        case .tuple(let items): return .tuple(pick(items))
        default:
            return .undefined(JinjaUndefined(message: "\(value.objectTypeRepr) has no element \(describe)"))
        }
    }

    /// The items `for` visits: characters of a string, keys of a dict, nothing for undefined; a generator is
    /// consumed.
    func iterate(_ value: JinjaValue, at location: SourceLocation) throws(TemplateError) -> [JinjaValue] {
        switch value {
        case .undefined: return []
        case .array(let items), .tuple(let items): return items
        case .object(let o): return o.keyValues
        case .string(let s), .markup(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .opaque(let o):
            switch o.kind {
            case .generator(let id, _):
                let items = generators[id]
                generators[id] = []
                return items
            case .loop(let info):
                return Array(info.items[(info.index0 + 1)...])
            case .view, .range:
                return o.reusableItems ?? []
            default:
                throw .runtime(message: "'\(value.pythonTypeName)' object is not iterable", location: location)
            }
        default:
            throw .runtime(message: "'\(value.pythonTypeName)' object is not iterable", location: location)
        }
    }

    /// Wraps `items` as a one-shot generator, as jinja2's `map`, `select` and friends return.
    func makeGenerator(_ items: [JinjaValue], typeName: String = "generator") -> JinjaValue {
        generators.append(items)
        return .opaque(JinjaOpaque(.generator(generators.count - 1, typeName: typeName)))
    }

    private func loopAttribute(_ info: LoopInfo, _ name: String, _ loop: JinjaValue) -> JinjaValue? {
        let length = info.items.count
        switch name {
        case "index": return .int(info.index0 + 1)
        case "index0": return .int(info.index0)
        case "revindex": return .int(length - info.index0)
        case "revindex0": return .int(length - info.index0 - 1)
        case "first": return .bool(info.index0 == 0)
        case "last": return .bool(info.index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(info.depth0 + 1)
        case "depth0": return .int(info.depth0)
        case "previtem":
            return info.index0 > 0 ? info.items[info.index0 - 1]
                : .undefined(JinjaUndefined(message: "there is no previous item"))
        case "nextitem":
            return info.index0 + 1 < length ? info.items[info.index0 + 1]
                : .undefined(JinjaUndefined(message: "there is no next item"))
        case "cycle", "changed": return method(loop, name)
        default: return nil
        }
    }
}

extension JinjaValue {
    /// True for int and bool (Python indexes sequences with both).
    var isIntegral: Bool {
        switch self {
        case .int, .bool: return true
        default: return false
        }
    }
}

/// Python's slice arithmetic (`slice.indices`).
enum PySlice {
    static func indices(count: Int, start: Int?, stop: Int?, step: Int?) -> [Int] {
        let step = step ?? 1
        let lower = step > 0 ? 0 : -1
        let upper = step > 0 ? count : count - 1
        func clamp(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 {
                v += count
                return v < lower ? lower : v
            }
            return v > upper ? upper : v
        }
        let from = clamp(start, step > 0 ? lower : upper)
        let to = clamp(stop, step > 0 ? upper : lower)
        var result: [Int] = []
        var i = from
        while step > 0 ? i < to : i > to {
            result.append(i)
            let (next, overflow) = i.addingReportingOverflow(step)
            if overflow { break }
            i = next
        }
        return result
    }
}
