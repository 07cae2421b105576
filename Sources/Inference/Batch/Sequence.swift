// A running sequence inside the scheduler: its cache blocks, sampler, stop state and statistics.

/// The scheduler's per-sequence state between steps.
struct ActiveSequence {
    enum Phase { case prefilling, decoding }

    let request: GenerationRequest
    var kv: KVSequence
    var sampler: Sampler
    var detokenizer: StreamingDetokenizer
    var stopMatcher: StopMatcher
    var phase: Phase = .prefilling
    /// The token sampled last and not yet fed through the model.
    var pendingToken: TokenID = 0
    var stats = CallStats()
    var lastTokenTime: Double = 0
    var batchSizeSum = 0
    var steps = 0
    /// Drafters tried in order, and the policy choosing the draft length (empty/nil without speculation).
    var drafters: [any Drafter] = []
    var controller: DraftController?
    /// Tokens drafted for the step in flight (verified against the target's logits after the pass).
    var drafts: [TokenID] = []

    var prompt: [TokenID] { request.tokens }
    /// Prompt tokens not yet in the cache.
    var remainingPrompt: Int { prompt.count - kv.count }
}
