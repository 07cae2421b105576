// The body of POST /v1/completions (the legacy text completion API): a raw prompt continued as it is.
import Agents
import Inference

/// A validated text completion request.
struct CompletionRequest {
    var model: String?
    var prompt: String
    var maxTokens: Int
    var sampling: SamplingParameters
    var stop: [String]
    var stream: Bool
    var includeUsage: Bool
    /// Return the prompt in front of the completion.
    var echo: Bool

    static func parse(_ body: RequestFields, maxTokensLimit: Int) throws(ServerError) -> CompletionRequest {
        let prompt: String
        switch body.value("prompt") {
        case .string(let text)?: prompt = text
        case .array(let items)? where items.count == 1 && items[0].stringValue != nil:
            prompt = items[0].stringValue ?? ""
        case .array?:
            throw ServerError.unsupported(field: "prompt", problem: "must be one string (or an array of one string)")
        case nil:
            throw ServerError.invalidField(field: "prompt", problem: "is required")
        case let other?:
            throw ServerError.invalidField(field: "prompt", problem: "must be a string, found \(other.typeDescription)")
        }
        if let n = try body.int("n", in: 1...128), n != 1 {
            throw ServerError.unsupported(field: "n", problem: "must be 1: this server returns one choice")
        }
        if let best = try body.int("best_of", in: 1...128), best != 1 {
            throw ServerError.unsupported(field: "best_of", problem: "must be 1")
        }
        return CompletionRequest(
            model: try body.string("model"), prompt: prompt,
            // OpenAI's default for this endpoint is 16 tokens.
            maxTokens: try body.int("max_tokens", in: 1...maxTokensLimit) ?? min(16, maxTokensLimit),
            sampling: try ChatCompletionRequest.sampling(body), stop: try body.stopSequences(),
            stream: try body.bool("stream") ?? false,
            includeUsage: try body.object("stream_options")?.bool("include_usage") ?? false,
            echo: try body.bool("echo") ?? false)
    }
}
