// One engine over the real default model, shared by the tests of a process (loading is cheap thanks to mmap,
// but the thread pool and caches are better made once).
import Foundation
import Inference

/// Lazily loaded default-model engines, keyed by thread count.
public enum SharedEngine {
    nonisolated(unsafe) private static var engines: [Int: InferenceEngine] = [:]
    private static let lock = NSLock()

    /// The default model with `threads` kernel threads (2 unless asked otherwise).
    public static func defaultModel(threads: Int = 2) throws -> InferenceEngine {
        lock.lock(); defer { lock.unlock() }
        if let e = engines[threads] { return e }
        let e = try InferenceEngine(path: try TestResources.requireDefaultModel(),
                                    options: EngineOptions(threads: threads))
        engines[threads] = e
        return e
    }
}

/// The collected result of a generation.
public struct GenerationResult: Sendable {
    public var tokens: [TokenID] = []
    public var text = ""
    public var reason: StopReason?
    public var stats = CallStats()
    public var events: [GenerationEvent] = []
}

extension InferenceEngine {
    /// Runs a generation to the end and collects its tokens, text and stats.
    public func collect(tokens: [TokenID], parameters: GenerationParameters,
                        cacheKey: String? = nil) async throws -> GenerationResult {
        var r = GenerationResult()
        for try await event in generate(tokens: tokens, parameters: parameters, cacheKey: cacheKey) {
            r.events.append(event)
            switch event {
            case .token(let t, let text, _):
                r.tokens.append(t)
                r.text += text
            case .text(let text): r.text += text
            case .finished(let reason, let stats):
                r.reason = reason
                r.stats = stats
            default: break
            }
        }
        return r
    }
}
