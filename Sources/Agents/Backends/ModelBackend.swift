// The seam between the agent loop and a model: in-process today (LocalBackend over InferenceEngine),
// OpenAI-compatible remote (RemoteBackend), and a scripted replay in tests. Requests in, a stream of events out.

/// Something that answers a conversation with streamed text and reports what the call used.
///
/// Why a protocol: there are several real conformers (local engine, remote API, scripted replay), and the
/// runner must not care which one it talks to. Cancelling the consuming task must stop generation promptly.
public protocol ModelBackend: Sendable {
    /// The model's name as the ledger records it.
    var modelName: String { get }
    /// True for in-process models: a call costs its compute time at the machine's price. False for remote
    /// models: a call costs the provider's list price of its tokens.
    var isLocal: Bool { get }
    /// Whether the model's chat template has its own tool-call format (then `ToolFormatChoice.auto` uses it).
    var supportsNativeTools: Bool { get }
    /// Whether `ModelRequest.constraint` is enforced (grammar-constrained decoding).
    var supportsConstraints: Bool { get }
    /// Streams the model's reply to `request`.
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error>
}

/// One model call.
public struct ModelRequest: Sendable, Equatable {
    /// The conversation, already in the roles the model's template takes (see `ToolCallFormat.render`).
    public var messages: [AgentMessage]
    /// Tools passed to the chat template (native tool formats only; empty otherwise).
    public var tools: [ToolSpec]
    public var maxTokens: Int
    /// 0 means greedy.
    public var temperature: Double
    /// Divides the logits of recently generated tokens (1 disables); keeps small models out of loops.
    public var repetitionPenalty: Double
    public var stopSequences: [String]
    /// A JSON Schema the reply must satisfy, enforced by a grammar when the backend supports constraints.
    public var constraint: JSON?
    /// Calls with the same key are turns of one conversation (the backend may reuse its KV cache).
    public var cacheKey: String?
    /// Text the reply must begin with, placed after the assistant header as if the model had written it; the
    /// events carry only what follows it. How small models are steered into a format without a grammar.
    public var responsePrefix: String
    /// The reply must call a tool (OpenAI's `tool_choice: "required"`): remote backends send it, the local one
    /// enforces it through `constraint` instead.
    public var requiresTool: Bool

    public init(messages: [AgentMessage], tools: [ToolSpec] = [], maxTokens: Int = 256, temperature: Double = 0,
                stopSequences: [String] = [], constraint: JSON? = nil, cacheKey: String? = nil,
                responsePrefix: String = "", repetitionPenalty: Double = 1, requiresTool: Bool = false) {
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stopSequences = stopSequences
        self.constraint = constraint
        self.cacheKey = cacheKey
        self.responsePrefix = responsePrefix
        self.repetitionPenalty = repetitionPenalty
        self.requiresTool = requiresTool
    }
}

/// What a backend reports during a call, in order: `prefilled` once, `token` per token, `finished` last.
public enum ModelEvent: Sendable, Equatable {
    /// The prompt is read: its size, and how much of it came from the cache.
    case prefilled(promptTokens: Int, cachedTokens: Int)
    /// One generated token and the text it completes (may be empty).
    case token(String)
    /// Text released at the end without a new token (held back while it might have begun a stop sequence).
    case text(String)
    /// The call ended; the usage is final.
    case finished(ModelUsage)
}

/// The counts and timings of one finished model call.
public struct ModelUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var cachedTokens: Int
    public var generatedTokens: Int
    public var draftedTokens: Int
    public var acceptedTokens: Int
    /// Seconds from the request to the first token.
    public var timeToFirstToken: Double
    public var tokensPerSecond: Double
    /// This call's share of the machine's compute time (local models).
    public var computeSeconds: Double
    public var meanBatchSize: Double
    /// `computeSeconds` over the full duration of the forward passes the call took part in (1 when alone).
    public var computeShare: Double
    /// Estimated compute seconds had the call run alone; the difference to `computeSeconds` is what batching
    /// with other calls saved (0 when unknown, e.g. remote models).
    public var soloComputeSeconds: Double
    /// Why generation stopped ("stop", "length", "cancelled" …).
    public var stopReason: String
    /// Whether the reply was produced under the request's constraint.
    public var constrained: Bool

    public init(promptTokens: Int = 0, cachedTokens: Int = 0, generatedTokens: Int = 0, draftedTokens: Int = 0,
                acceptedTokens: Int = 0, timeToFirstToken: Double = 0, tokensPerSecond: Double = 0,
                computeSeconds: Double = 0, meanBatchSize: Double = 1, stopReason: String = "stop",
                constrained: Bool = false, computeShare: Double = 1, soloComputeSeconds: Double = 0) {
        self.computeShare = computeShare
        self.soloComputeSeconds = soloComputeSeconds
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.generatedTokens = generatedTokens
        self.draftedTokens = draftedTokens
        self.acceptedTokens = acceptedTokens
        self.timeToFirstToken = timeToFirstToken
        self.tokensPerSecond = tokensPerSecond
        self.computeSeconds = computeSeconds
        self.meanBatchSize = meanBatchSize
        self.stopReason = stopReason
        self.constrained = constrained
    }
}
