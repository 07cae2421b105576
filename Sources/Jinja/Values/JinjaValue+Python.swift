// Python's data model on JinjaValue: truthiness, str()/repr(), equality, ordering and type names, worded the way
// Python and jinja2 word their error messages.

extension JinjaValue {
    /// Python's `bool(x)`; undefined is falsy, runtime objects are truthy.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let f): return f != 0
        case .string(let s), .markup(let s): return !s.isEmpty
        case .array(let a), .tuple(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        case .opaque(let o):
            if let items = o.reusableItems { return !items.isEmpty }
            return true
        }
    }

    /// Python's `type(x).__name__`, as used in `TypeError` messages.
    var pythonTypeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .array: return "list"
        case .tuple: return "tuple"
        case .object: return "dict"
        case .opaque(let o):
            switch o.kind {
            case .namespace: return "Namespace"
            case .macro: return "Macro"
            case .builtin(let b): return b == .range || b == .dict || b == .namespace ? "type" : "function"
            case .method: return "builtin_function_or_method"
            case .loop: return "LoopContext"
            case .generator(_, let typeName), .view(_, let typeName): return typeName
            case .range: return "range"
            }
        }
    }

    /// jinja2's `object_type_repr`, used in undefined messages: "None", "dict object", "jinja2.utils.Namespace object".
    var objectTypeRepr: String {
        switch self {
        case .none: return "None"
        case .undefined: return "jinja2.runtime.Undefined object"
        case .markup: return "markupsafe.Markup object"
        case .opaque(let o):
            switch o.kind {
            case .namespace: return "jinja2.utils.Namespace object"
            case .macro: return "jinja2.runtime.Macro object"
            case .loop: return "jinja2.runtime.LoopContext object"
            default: return "\(pythonTypeName) object"
            }
        default: return "\(pythonTypeName) object"
        }
    }

    /// Python's `str(x)`; undefined prints as "".
    var pythonString: String {
        switch self {
        case .undefined: return ""
        case .string(let s), .markup(let s): return s
        default: return pythonRepr
        }
    }

    /// Python's `repr(x)`.
    var pythonRepr: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return pythonFloatRepr(f)
        case .string(let s): return Jinja.pythonRepr(s)
        case .markup(let s): return "Markup(\(Jinja.pythonRepr(s)))"
        case .array(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + items[0].pythonRepr + ",)" }
            return "(" + items.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .object(let o):
            return "{" + o.entries.map { $0.key.pythonRepr + ": " + $0.value.pythonRepr }.joined(separator: ", ")
                + "}"
        case .opaque(let o):
            switch o.kind {
            case .namespace: return "<Namespace>"
            case .macro(let m): return "<Macro \(Jinja.pythonRepr(m.definition.name))>"
            case .builtin(let b): return "<function \(b.rawValue)>"
            case .method(let receiver, let name):
                return "<built-in method \(name) of \(receiver.pythonTypeName) object>"
            case .loop(let l): return "<LoopContext \(l.index0 + 1)/\(l.items.count)>"
            case .generator(_, let typeName): return "<\(typeName) object>"
            case .view(let items, let typeName):
                return typeName + "([" + items.map(\.pythonRepr).joined(separator: ", ") + "])"
            case .range(let start, let stop, let step):
                return "range(\(start), \(stop)" + (step == 1 ? ")" : ", \(step))")
            }
        }
    }

    /// The numeric value of bool, int and float (Python's numeric tower), nil otherwise.
    var numeric: Numeric? {
        switch self {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int(let i): return .int(i)
        case .float(let f): return .float(f)
        default: return nil
        }
    }

    enum Numeric {
        case int(Int)
        case float(Double)

        var double: Double {
            switch self {
            case .int(let i): return Double(i)
            case .float(let f): return f
            }
        }
    }
}

/// Python's `a == b`: numbers compare by value across bool/int/float, strings by code points, containers deeply.
func pythonEquals(_ a: JinjaValue, _ b: JinjaValue) -> Bool {
    switch (a, b) {
    case (.undefined, .undefined), (.none, .none): return true
    case (.string(let x), .string(let y)), (.string(let x), .markup(let y)), (.markup(let x), .string(let y)),
        (.markup(let x), .markup(let y)):
        return x.utf8.elementsEqual(y.utf8)
    case (.array(let x), .array(let y)), (.tuple(let x), .tuple(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { pythonEquals($0, $1) }
    case (.object(let x), .object(let y)):
        guard x.count == y.count else { return false }
        for (key, value) in x.entries {
            guard let other = y[key: key], pythonEquals(value, other) else { return false }
        }
        return true
    case (.opaque(let x), .opaque(let y)): return x == y
    default:
        if let x = a.numeric, let y = b.numeric {
            switch (x, y) {
            case (.int(let i), .int(let j)): return i == j
            default: return x.double == y.double
            }
        }
        return false
    }
}

/// Why an ordering comparison failed, before a location is attached.
enum PythonFailure: Error {
    case type(String)
    case undefined(JinjaUndefined)
}

/// Python's ordering (`<`), as -1/0/1: numbers, strings by code point, lists and tuples lexicographically.
func pythonCompare(_ a: JinjaValue, _ b: JinjaValue, op: String) throws(PythonFailure) -> Int {
    if case .undefined(let u) = a { throw .undefined(u) }
    if case .undefined(let u) = b { throw .undefined(u) }
    if let x = a.numeric, let y = b.numeric {
        switch (x, y) {
        case (.int(let i), .int(let j)): return i < j ? -1 : (i == j ? 0 : 1)
        default:
            let (p, q) = (x.double, y.double)
            return p < q ? -1 : (p == q ? 0 : 1)
        }
    }
    switch (a, b) {
    case (.string(let x), .string(let y)), (.string(let x), .markup(let y)), (.markup(let x), .string(let y)),
        (.markup(let x), .markup(let y)):
        return compareCodePoints(x, y)
    case (.array(let x), .array(let y)), (.tuple(let x), .tuple(let y)):
        for (p, q) in zip(x, y) where !pythonEquals(p, q) {
            return try pythonCompare(p, q, op: op)
        }
        return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
    default:
        throw .type("'\(op)' not supported between instances of '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
    }
}

/// Orders strings by Unicode code point (UTF-8 byte order is the same order).
func compareCodePoints(_ x: String, _ y: String) -> Int {
    var i = x.utf8.makeIterator()
    var j = y.utf8.makeIterator()
    while true {
        switch (i.next(), j.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let p?, let q?):
            if p != q { return p < q ? -1 : 1 }
        }
    }
}

