// The values a template computes with: Python's data model as jinja2 sees it (None, bool, int, float, str, list,
// tuple, dict), plus jinja2's own Undefined and Markup, plus runtime objects (macros, namespaces, loops).

/// A value inside a template: what a variable holds, what an expression yields, what a filter returns.
///
/// The cases mirror the Python types that Hugging Face chat templates meet when transformers renders them, because
/// byte-identical output depends on Python's rules: `str(1.0)` is `"1.0"`, `True` prints as `True`, dictionaries
/// keep insertion order, `1 == 1.0 == True`. Build values from OpenAI-style JSON with ``init(json:)``, which keeps
/// key order (Foundation's `JSONSerialization` does not).
///
/// ```swift
/// let messages = try JinjaValue(json: #"[{"role": "user", "content": "Hi"}]"#)
/// let text = try Template("{{ messages[0].content }}").render(["messages": messages])   // "Hi"
/// ```
public enum JinjaValue: Sendable {
    /// jinja2's `Undefined`: prints as "", iterates as empty, is falsy; most other uses raise its message.
    case undefined(JinjaUndefined)
    /// Python's `None`.
    case none
    /// Python's `bool`; it also acts as the integers 0 and 1 in arithmetic and comparisons, as in Python.
    case bool(Bool)
    /// Python's `int` (limited here to 64 bits; overflow is reported, not wrapped).
    case int(Int)
    /// Python's `float`, printed with Python's shortest round-trip `repr`.
    case float(Double)
    /// Python's `str`; lengths, indices and slices count Unicode scalars (code points), as Python does.
    case string(String)
    /// markupsafe's `Markup` (what `|safe` and `|escape` return): a string that escapes plain strings joined to it.
    case markup(String)
    /// Python's `list`.
    case array([JinjaValue])
    /// Python's `tuple` (prints with parentheses; `dict.items()` pairs, `(a, b)` literals).
    case tuple([JinjaValue])
    /// Python's `dict` with string keys, in insertion order.
    case object(JinjaObject)
    /// A runtime object that has no JSON form: a macro, a namespace, a loop, a builtin function, a generator.
    case opaque(JinjaOpaque)
}

extension JinjaValue {
    /// An undefined value named `name`, as jinja2 makes for a variable nobody set.
    public static func undefinedVariable(_ name: String) -> JinjaValue {
        .undefined(JinjaUndefined(name: name))
    }

    /// The string payload of `.string` and `.markup`; nil for every other case.
    public var stringValue: String? {
        switch self {
        case .string(let s), .markup(let s): return s
        default: return nil
        }
    }

    /// True for `.undefined`.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// True for `.none`.
    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension JinjaValue: Equatable {
    /// Structural equality for Swift callers and tests (`.int(1) != .float(1.0)`); the template language uses
    /// Python's looser equality internally.
    public static func == (lhs: JinjaValue, rhs: JinjaValue) -> Bool {
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)), (.markup(let a), .markup(let b)):
            return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)), (.tuple(let a), .tuple(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.opaque(let a), .opaque(let b)): return a == b
        default: return false
        }
    }
}

extension JinjaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JinjaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JinjaValue)...) {
        self = .object(JinjaObject(pairs: elements))
    }
}
