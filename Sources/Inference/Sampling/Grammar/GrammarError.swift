// The errors of grammar-constrained decoding: GBNF syntax (with line and column), grammar structure, and JSON
// Schema conversion (with the keyword and the JSON path), each saying what is wrong and what to do.

import Foundation

/// Why a grammar or a JSON schema could not be turned into a constraint.
public enum GrammarError: Error, CustomStringConvertible, LocalizedError, Sendable, Equatable {
    /// GBNF text that does not parse; `line` and `column` are 1-based (columns count characters).
    case syntax(line: Int, column: Int, message: String)
    /// A rule name used but never defined.
    case undefinedRule(name: String, line: Int, column: Int)
    /// A rule defined twice in GBNF text.
    case duplicateRule(name: String, line: Int, column: Int)
    /// The grammar has no rule with the start name (`root` for GBNF).
    case missingRoot(String)
    /// A rule that can call itself without consuming input, which a top-down recognizer cannot run.
    case leftRecursion(rule: String)
    /// A repetition count too large to compile (`{m,n}`).
    case repetitionTooLarge(rule: String, count: Int)
    /// A rule whose repetitions expand to more automaton states than a grammar may use.
    case grammarTooLarge(rule: String, states: Int)
    /// JSON text (a schema) that does not parse.
    case invalidJSON(line: Int, column: Int, message: String)
    /// A schema keyword this converter does not implement, at a JSON path like `$.properties.path`.
    case unsupportedSchemaKeyword(keyword: String, path: String)
    /// A schema that is malformed (wrong value type for a keyword, impossible bounds…).
    case invalidSchema(path: String, message: String)
    /// A `$ref` that does not point into `$defs` or `definitions` of the same document.
    case unresolvedReference(ref: String, path: String)
    /// A `pattern` regex that is malformed; `column` is 1-based (in characters) inside `pattern`.
    case invalidPattern(path: String, pattern: String, column: Int, message: String)
    /// A `pattern` regex using a feature a grammar cannot express (lookaround, backreferences, …).
    case unsupportedPattern(path: String, pattern: String, column: Int, feature: String)
    /// A string `format` without a grammar.
    case unsupportedFormat(format: String, path: String)

    public var description: String {
        switch self {
        case .syntax(let line, let column, let message):
            return "grammar line \(line), column \(column): \(message)"
        case .undefinedRule(let name, let line, let column):
            let place = line > 0 ? "grammar line \(line), column \(column): " : ""
            return place + "rule '\(name)' is used but never defined; add a line '\(name) ::= …'"
        case .duplicateRule(let name, let line, let column):
            return "grammar line \(line), column \(column): rule '\(name)' is defined twice; "
                + "merge the definitions with '|'"
        case .missingRoot(let name):
            return "the grammar has no rule '\(name)': it is where matching starts, so define it"
        case .leftRecursion(let rule):
            return "rule '\(rule)' can reach itself without consuming any character (left recursion); "
                + "rewrite it with repetition, e.g. 'list ::= item (\",\" item)*'"
        case .repetitionTooLarge(let rule, let count):
            return "repetition count \(count) in rule '\(rule)' is out of range: counts go up to 100000 and a "
                + "maximum may not be below its minimum"
        case .grammarTooLarge(let rule, let states):
            return "rule '\(rule)' expands to more than \(states) states (nested repetitions multiply); use "
                + "smaller repetition counts or fewer nested optional groups"
        case .invalidJSON(let line, let column, let message):
            return "schema JSON line \(line), column \(column): \(message)"
        case .unsupportedSchemaKeyword(let keyword, let path):
            return "JSON schema keyword '\(keyword)' at \(path) is not supported; remove it or pass a GBNF "
                + "grammar (--grammar) instead"
        case .invalidSchema(let path, let message):
            return "invalid JSON schema at \(path): \(message)"
        case .unresolvedReference(let ref, let path):
            return "$ref '\(ref)' at \(path) cannot be resolved; only '#/$defs/NAME' and '#/definitions/NAME' "
                + "inside the same schema are supported"
        case .invalidPattern(let path, let pattern, let column, let message):
            return "invalid regex in 'pattern' at \(path), column \(column) of \(OrderedJSON.quote(pattern)): "
                + "\(message); fix the pattern"
        case .unsupportedPattern(let path, let pattern, let column, let feature):
            return "regex in 'pattern' at \(path), column \(column) of \(OrderedJSON.quote(pattern)): \(feature) "
                + "is not supported in constrained decoding; rewrite the pattern without it or remove 'pattern'"
        case .unsupportedFormat(let format, let path):
            return "string format '\(format)' at \(path) is not supported (only "
                + StringFormat.names.joined(separator: ", ") + " are); remove 'format' or give a 'pattern' instead"
        }
    }

    public var errorDescription: String? { description }
}
