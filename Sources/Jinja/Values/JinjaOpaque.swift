// Runtime objects that live only while a template renders: macros, namespaces, loop contexts, builtins, bound
// methods and generators. They print and compare as Python's objects do but have no JSON form.

/// A runtime object produced while rendering (a macro, a `namespace()`, `loop`, a bound method, a generator from
/// `|map` or `|select`). Callers outside the renderer normally never see one; it exists so that templates can pass
/// such objects around as values.
public struct JinjaOpaque: Sendable, Equatable {
    indirect enum Kind: Sendable {
        /// A `namespace()`; its attributes live in the interpreter under this id (namespaces are mutable).
        case namespace(Int)
        case macro(MacroValue)
        case builtin(BuiltinFunction)
        /// `receiver.name` for a Python method, bound to its receiver, waiting to be called.
        case method(JinjaValue, String)
        case loop(LoopInfo)
        /// A one-shot iterator (`|map`, `|select`, `|reverse` …); its items live in the interpreter under this id.
        case generator(Int, typeName: String)
        /// A dictionary view (`dict.items()`, `.keys()`, `.values()`): iterable any number of times, no JSON form.
        case view([JinjaValue], typeName: String)
        /// Python's `range` object (prints as `range(0, 3)`; indexable, reusable, no JSON form).
        case range(start: Int, stop: Int, step: Int)
    }

    /// The items of a view or range, which can be iterated any number of times; nil for other objects.
    var reusableItems: [JinjaValue]? {
        switch kind {
        case .view(let items, _): return items
        case .range(let start, let stop, let step): return stride(from: start, to: stop, by: step).map { .int($0) }
        default: return nil
        }
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// Identity, as Python compares these objects.
    public static func == (lhs: JinjaOpaque, rhs: JinjaOpaque) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case (.namespace(let a), .namespace(let b)): return a == b
        case (.generator(let a, _), .generator(let b, _)): return a == b
        case (.builtin(let a), .builtin(let b)): return a == b
        case (.macro(let a), .macro(let b)): return a.definition.location == b.definition.location && a.frame == b.frame
        default: return false
        }
    }
}

/// A macro bound to the scope it was defined in (jinja2 macros see that scope's variables as they are when called).
struct MacroValue: Sendable {
    let definition: MacroDefinition
    let frame: Int
}

/// The state behind `loop` for one iteration.
struct LoopInfo: Sendable {
    let index0: Int
    let items: [JinjaValue]
    let depth0: Int
    /// The loop itself and the scope it runs in, so that `loop(children)` can recurse in a `recursive` loop.
    let loop: ForLoop
    let frame: Int
    /// Distinguishes runs of the same loop (for `loop.changed`).
    let run: Int
}

/// The global functions Hugging Face's environment provides.
enum BuiltinFunction: String, Sendable {
    case range, namespace, dict, raiseException = "raise_exception", strftimeNow = "strftime_now", lipsum, cycler
    case joiner
}
