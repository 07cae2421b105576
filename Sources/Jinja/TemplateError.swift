// Everything that can go wrong reading or rendering a template, with the place in the template it happened.
import Foundation

/// Why a template could not be parsed or rendered.
///
/// ``message`` is the text jinja2 itself would give (so a chat template's `raise_exception('…')` reaches the user
/// verbatim, and conformance tests can compare it with Python's); ``description`` adds where it happened and what
/// to do.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The template is not valid Jinja (jinja2's `TemplateSyntaxError`).
    case syntax(message: String, location: SourceLocation)
    /// The template uses a jinja2 feature this renderer does not implement (a filter, test, tag or method).
    case unsupported(construct: String, location: SourceLocation)
    /// The template called `raise_exception(message)`; the message is the template author's, verbatim.
    case raised(String)
    /// An undefined value was used in a way jinja2 refuses (`UndefinedError`), e.g. `{{ missing.attr }}`.
    case undefined(message: String, location: SourceLocation)
    /// The template touched something jinja2's immutable sandbox forbids (`SecurityError`), e.g. `list.append`.
    case unsafe(message: String, location: SourceLocation)
    /// Any other failure while rendering (Python's `TypeError`, `ValueError`, …), in Python's words.
    case runtime(message: String, location: SourceLocation)
    /// Text given to ``JinjaValue/init(json:)`` is not valid JSON; line and column are 1-based.
    case invalidJSON(message: String, line: Int, column: Int)

    /// The bare message, worded as jinja2 (Python) words it, without location.
    public var message: String {
        switch self {
        case .syntax(let message, _), .undefined(let message, _), .unsafe(let message, _),
            .runtime(let message, _):
            return message
        case .unsupported(let construct, _): return "unsupported \(construct)"
        case .raised(let message), .invalidJSON(let message, _, _): return message
        }
    }

    /// Where in the template the error happened (nil for `raise_exception`, whose message says it all).
    public var location: SourceLocation? {
        switch self {
        case .syntax(_, let location), .unsupported(_, let location), .undefined(_, let location),
            .unsafe(_, let location), .runtime(_, let location):
            return location
        case .raised, .invalidJSON: return nil
        }
    }

    public var description: String {
        switch self {
        case .syntax(let message, let location):
            return "template syntax error at \(location): \(message); fix the template or override it with a file"
                + " in prompts/templates/"
        case .unsupported(let construct, let location):
            return "unsupported \(construct) at \(location): Tokenworks' Jinja renderer does not implement it;"
                + " override the chat template with a file in prompts/templates/"
        case .raised(let message):
            return message
        case .undefined(let message, let location):
            return "\(message) at \(location): the template used a value the conversation does not provide"
        case .unsafe(let message, let location):
            return "\(message) at \(location): jinja2's sandbox forbids this, so transformers fails here too"
        case .runtime(let message, let location):
            return "\(message) at \(location)"
        case .invalidJSON(let message, let line, let column):
            return "invalid JSON at line \(line), column \(column): \(message)"
        }
    }

    public var errorDescription: String? { description }
}
