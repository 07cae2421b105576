// The one error type of the Server target: every way a request can fail, with its HTTP status and the
// OpenAI-shaped JSON body clients (the official `openai` package among them) know how to read.
import Foundation

/// Why a request to `tokenworks serve` failed.
public enum ServerError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The body is not JSON.
    case malformedJSON(problem: String)
    /// A field is missing, of the wrong type or out of range; `field` is its path (`messages[2].role`).
    case invalidField(field: String, problem: String)
    /// The request asks for something this server does not do (`n` > 1, `echo` with streaming …).
    case unsupported(field: String, problem: String)
    /// The prompt and `max_tokens` together do not fit the model's context.
    case contextOverflow(promptTokens: Int, maxTokens: Int, contextSize: Int)
    /// No or a wrong API key.
    case unauthorized
    case notFound(method: String, path: String)
    case bodyTooLarge(limit: Int)
    /// Too many requests are running and waiting.
    case overloaded(running: Int, waiting: Int)
    /// The model failed while generating.
    case generationFailed(reason: String)

    /// The HTTP status of the error response.
    public var status: Int {
        switch self {
        case .malformedJSON, .invalidField, .unsupported, .contextOverflow: return 400
        case .unauthorized: return 401
        case .notFound: return 404
        case .bodyTooLarge: return 413
        case .overloaded: return 429
        case .generationFailed: return 500
        }
    }

    /// OpenAI's `error.type`.
    public var type: String {
        switch self {
        case .malformedJSON, .invalidField, .unsupported, .contextOverflow, .notFound, .bodyTooLarge:
            return "invalid_request_error"
        case .unauthorized: return "authentication_error"
        case .overloaded: return "rate_limit_error"
        case .generationFailed: return "server_error"
        }
    }

    /// OpenAI's `error.param`: the request field at fault, if one is.
    public var param: String? {
        switch self {
        case .invalidField(let field, _), .unsupported(let field, _): return field
        case .contextOverflow: return "messages"
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let problem):
            return "the request body is not valid JSON: \(problem)"
        case .invalidField(let field, let problem):
            return "'\(field)' \(problem)"
        case .unsupported(let field, let problem):
            return "'\(field)' \(problem)"
        case .contextOverflow(let prompt, let maxTokens, let context):
            return "the prompt has \(prompt) tokens and max_tokens is \(maxTokens): together more than the "
                + "context of \(context) tokens; shorten the conversation or lower max_tokens"
        case .unauthorized:
            return "missing or wrong API key: send the header 'Authorization: Bearer KEY'"
        case .notFound(let method, let path):
            return "no route \(method) \(path); this server offers GET /v1/models, POST /v1/chat/completions and "
                + "POST /v1/completions"
        case .bodyTooLarge(let limit):
            return "the request body is larger than \(limit) bytes; send less, or start the server with a "
                + "larger --max-body-bytes"
        case .overloaded(let running, let waiting):
            return "the server is busy (\(running) requests running, \(waiting) waiting); retry after a moment"
        case .generationFailed(let reason):
            return "generation failed: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
