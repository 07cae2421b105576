// One caller's request as the scheduler sees it: the tokens, the parameters, where to send events and a
// cancellation flag the caller's side can set from any thread.
import Foundation

/// A queued or running generation. The flag is checked by the scheduler once per step (within one token).
final class GenerationRequest: @unchecked Sendable {
    let tokens: [TokenID]
    let parameters: GenerationParameters
    /// Requests with the same key continue one conversation: the cache of the last turn is taken over.
    let cacheKey: String?
    let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    let submitted: Double
    private let lock = NSLock()
    private var cancelledFlag = false

    init(tokens: [TokenID], parameters: GenerationParameters, cacheKey: String?,
         continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation) {
        self.tokens = tokens
        self.parameters = parameters
        self.cacheKey = cacheKey
        self.continuation = continuation
        self.submitted = MonotonicClock.now()
    }

    var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelledFlag
    }

    func cancel() {
        lock.lock(); cancelledFlag = true; lock.unlock()
    }
}
