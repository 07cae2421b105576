// The syntax tree the parser builds and the interpreter walks: expressions and statements with their locations.

/// An expression with the place it starts in the template.
struct Expr: Sendable {
    indirect enum Kind: Sendable {
        case literal(JinjaValue)
        case name(String)
        case list([Expr])
        case tuple([Expr])
        case dict([DictEntry])
        /// `value.name`
        case attribute(Expr, String)
        /// `value[index]`; a slice appears as `.slice` in the index position.
        case item(Expr, Expr)
        /// `start:stop:step` inside brackets.
        case slice(Expr?, Expr?, Expr?)
        case call(Expr, Arguments)
        /// `value | name(args)`
        case filter(Expr, FilterCall)
        /// `value is [not] name(args)`
        case test(Expr, FilterCall, negated: Bool)
        case negate(Expr)
        case plus(Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `a ~ b ~ c`
        case concat([Expr])
        /// `a < b <= c`, `x in y`, `x not in y`
        case compare(Expr, [Comparison])
        case and(Expr, Expr)
        case or(Expr, Expr)
        /// `then if test else otherwise`; a missing else yields an undefined value.
        case conditional(test: Expr, then: Expr, otherwise: Expr?)
    }

    let kind: Kind
    let location: SourceLocation
}

struct DictEntry: Sendable {
    let key: Expr
    let value: Expr
}

/// Call arguments: positional, keyword, and the `*args` / `**kwargs` spreads.
struct Arguments: Sendable {
    var positional: [Expr] = []
    var keyword: [KeywordArgument] = []
    var spread: Expr? = nil
    var keywordSpread: Expr? = nil
}

struct KeywordArgument: Sendable {
    let name: String
    let value: Expr
}

/// A filter or test application: its name and arguments (the value it applies to is held by the parent node).
struct FilterCall: Sendable {
    let name: String
    let arguments: Arguments
    let location: SourceLocation
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

struct Comparison: Sendable {
    enum Operator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case contains = "in", notContains = "not in"
    }

    let op: Operator
    let operand: Expr
}

/// The left side of `set` and `for`: a name, a namespace attribute, or a tuple to unpack.
indirect enum AssignTarget: Sendable {
    case name(String)
    case namespaceAttribute(String, String)
    case tuple([AssignTarget])
}

/// A statement with the place it starts.
struct Stmt: Sendable {
    indirect enum Kind: Sendable {
        /// Literal template text.
        case text(String)
        /// `{{ expr }}`
        case output(Expr)
        case ifChain(branches: [IfBranch], otherwise: [Stmt])
        case forLoop(ForLoop)
        case set(AssignTarget, Expr)
        /// `{% set x %}…{% endset %}` with optional filters applied to the captured text.
        case setBlock(AssignTarget, filters: [FilterCall], body: [Stmt])
        case macro(MacroDefinition)
        /// `{% call(params) macro(args) %}body{% endcall %}`: `caller` is the body as a macro.
        case callBlock(call: Expr, caller: MacroDefinition)
        case filterBlock(filters: [FilterCall], body: [Stmt])
        case with(assignments: [WithAssignment], body: [Stmt])
        case breakLoop
        case continueLoop
        /// `{% generation %}…{% endgeneration %}` (transformers' assistant-mask marker): renders its body.
        case generation([Stmt])
    }

    let kind: Kind
    let location: SourceLocation
}

struct IfBranch: Sendable {
    let test: Expr
    let body: [Stmt]
}

struct WithAssignment: Sendable {
    let target: AssignTarget
    let value: Expr
}

struct ForLoop: Sendable {
    let target: AssignTarget
    let iterable: Expr
    let condition: Expr?
    let body: [Stmt]
    let otherwise: [Stmt]
    let recursive: Bool
    let location: SourceLocation
}

struct MacroParameter: Sendable {
    let name: String
    let defaultValue: Expr?
}

/// A macro (or a call block's `caller`): parameters, body, and which implicit names the body uses, since jinja2
/// accepts extra positional/keyword arguments only when the body mentions `varargs`/`kwargs`.
struct MacroDefinition: Sendable {
    let name: String
    let parameters: [MacroParameter]
    let body: [Stmt]
    let usesCaller: Bool
    let usesVarargs: Bool
    let usesKwargs: Bool
    let location: SourceLocation
}
