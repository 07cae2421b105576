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
    /// True once the first prompt rows were planned: until then the sequence may still take a longer cached
    /// prefix from another sequence (see `BatchScheduler.attachSharedPrefix`).
    var started = false
    /// Full duration of the forward passes this sequence took part in (its `computeSeconds` is its share).
    var stepSeconds: Double = 0
    /// Drafters tried in order, and the policy choosing the draft length (empty/nil without speculation).
    var drafters: [any Drafter] = []
    var controller: DraftController?
    /// Which drafter proposed `drafts` (index into `drafters`).
    var draftSource = 0
    /// Tokens drafted for the step in flight (verified against the target's logits after the pass).
    var drafts: [TokenID] = []
    /// The grammar the output must follow, when the request is constrained.
    var constraint: GrammarConstraint?

    var prompt: [TokenID] { request.tokens }
    /// Prompt tokens not yet in the cache.
    var remainingPrompt: Int { prompt.count - kv.count }
}
