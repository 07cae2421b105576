// The seam between speculative decoding and the ways of guessing ahead: each drafter proposes tokens; the
// verifier decides which the target model agrees with.

/// What a drafter may look at and use: the sequence's history and, for model-based drafters, the model thread's
/// resources. Only the scheduler thread builds and uses it.
struct DraftContext {
    /// Prompt and generated tokens, ending with the pending token (sampled, not yet fed to the model).
    var history: [TokenID]
    let transformer: Transformer
    let pool: KVCachePool
    /// The target sequence's cache (self-drafting writes its early layers here; verification overwrites them).
    var kv: KVSequence
}

/// Proposes tokens likely to follow the history. Drafts must be deterministic functions of the history (greedy),
/// which is what makes the acceptance rule exact for sampling too.
protocol Drafter {
    /// Up to `max` proposed tokens after `context.history`.
    mutating func draft(_ context: inout DraftContext, max: Int) -> [TokenID]
    /// The target kept `accepted` of the last proposal; the history now ends at the new pending token.
    mutating func observe(accepted: Int, context: inout DraftContext)
    /// Releases resources (a draft model's cache blocks) when the sequence ends.
    mutating func finish()
}
