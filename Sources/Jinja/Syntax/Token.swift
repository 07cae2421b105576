// The tokens the lexer hands the parser: template text, tag delimiters and the expression vocabulary.

/// One lexical token of a template.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// Literal template text, whitespace control already applied.
        case data(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// An operator or punctuation mark: `+`, `//`, `==`, `(`, `|`, `,` …
        case op(String)
        case eof
    }

    let kind: Kind
    let location: SourceLocation

    /// How jinja2 names the token in "expected …, got …" messages.
    var describe: String {
        switch kind {
        case .data: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let n): return "'\(n)'"
        case .string(let s): return "'\(s)'"
        case .integer(let i): return "'\(i)'"
        case .float(let f): return "'\(f)'"
        case .op(let o): return "'\(o)'"
        case .eof: return "end of template"
        }
    }

    /// True when the token is the name `word` (jinja2 keywords such as `in`, `if` and `endfor` are names).
    func isName(_ word: String) -> Bool {
        if case .name(let n) = kind { return n == word }
        return false
    }

    /// True when the token is the operator `symbol`.
    func isOp(_ symbol: String) -> Bool {
        if case .op(let o) = kind { return o == symbol }
        return false
    }
}
