// What one generation request asks for, beyond the prompt.

/// Limits and stop conditions of one generation.
public struct GenerationParameters: Sendable, Equatable {
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// Generation stops when the text ends with one of these; the stop text itself is not emitted.
    public var stopSequences: [String]
    /// Let end-of-generation tokens through instead of stopping (rarely wanted; for raw completions).
    public var ignoreEndOfGeneration: Bool
    /// Speculative decoding: changes speed only, never the output.
    public var speculation: SpeculationOptions

    public init(maxTokens: Int = 512, sampling: SamplingParameters = SamplingParameters(),
                stopSequences: [String] = [], ignoreEndOfGeneration: Bool = false,
                speculation: SpeculationOptions = .none) {
        self.speculation = speculation
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopSequences = stopSequences
        self.ignoreEndOfGeneration = ignoreEndOfGeneration
    }
}

/// Why a generation ended.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// The model emitted an end-of-generation token.
    case endOfGeneration
    case maxTokens
    case stopSequence(String)
    /// The sequence reached the context size (documented policy: stop, never silently slide the window).
    case contextFull
    case cancelled

    public var description: String {
        switch self {
        case .endOfGeneration: return "stop"
        case .maxTokens: return "length"
        case .stopSequence: return "stop"
        case .contextFull: return "context_full"
        case .cancelled: return "cancelled"
        }
    }
}
