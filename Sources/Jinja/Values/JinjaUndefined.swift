// jinja2's Undefined: what a missing variable, attribute or item evaluates to, and the message it fails with.

/// A missing value. Like jinja2's default `Undefined`, it prints as "", is falsy, iterates as empty and has
/// length 0, while arithmetic, comparison, calls and attribute access on it fail with ``message`` — the exact
/// text jinja2 uses ("'x' is undefined", "'dict object' has no attribute 'y'").
public struct JinjaUndefined: Sendable, Equatable {
    /// What jinja2 reports when the value is used in a way an undefined value cannot be.
    public let message: String
    /// True when the value stands for an attribute the sandbox forbids (jinja2 raises `SecurityError`).
    public let isUnsafe: Bool

    /// An undefined variable named `name`.
    public init(name: String) {
        self.message = "'\(name)' is undefined"
        self.isUnsafe = false
    }

    /// An undefined value with a ready-made message.
    public init(message: String, isUnsafe: Bool = false) {
        self.message = message
        self.isUnsafe = isUnsafe
    }
}
