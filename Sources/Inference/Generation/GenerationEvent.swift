// The one event stream that flows up from the runtime: the agent loop, the ledger, the TUI and `serve` all
// consume it.

/// Something that happened in a generation, in order: `prefilled` once, `token` per token, `finished` last.
public enum GenerationEvent: Sendable, Equatable {
    /// The prompt is processed: how many tokens it had, how many came from the cache, and when.
    case prefilled(promptTokens: Int, cachedTokens: Int, time: Double)
    /// A generated token and the text it completes (may be empty while a UTF-8 character or a possible stop
    /// sequence is pending).
    case token(TokenID, text: String, time: Double)
    /// Text released at the end that was held back (a possible stop sequence that did not complete).
    case text(String)
    /// Speculative decoding proposed `drafted` tokens of which `accepted` were kept.
    case speculation(drafted: Int, accepted: Int)
    /// The generation ended; the stats are final.
    case finished(StopReason, CallStats)
}
