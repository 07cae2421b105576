// A model backend that replays canned replies: the model is outside the unit under test, so tests of the
// loop, budgets, cancellation and tool errors give it scripted outputs. Deterministic token counts and costs.
import Foundation

/// Replays `replies` one per call (the last one forever when `repeatLast`), streaming each in tokens of up to
/// four characters. Prompt tokens are counted the same way over the rendered messages, so runs are exactly
/// reproducible; compute time is `secondsPerToken` per prompt and generated token.
public struct ScriptedBackend: ModelBackend {
    public var modelName: String
    public var isLocal: Bool { true }
    public var supportsNativeTools: Bool { false }
    public var supportsConstraints: Bool { false }
    public var replies: [String]
    /// After the script runs out, keep replaying the last reply (a model stuck in a loop); otherwise fail.
    public var repeatLast: Bool
    /// Wall-clock pause before each token (to test time budgets and cancellation).
    public var tokenDelay: Double
    /// Compute seconds charged per token (drives the local cost).
    public var secondsPerToken: Double
    /// The requests received, in order (shared by copies of this backend).
    public let log: RequestLog

    public init(modelName: String = "scripted", replies: [String], repeatLast: Bool = false, tokenDelay: Double = 0,
                secondsPerToken: Double = 0.001) {
        self.modelName = modelName
        self.replies = replies
        self.repeatLast = repeatLast
        self.tokenDelay = tokenDelay
        self.secondsPerToken = secondsPerToken
        self.log = RequestLog()
    }

    /// Requests a scripted backend has received; an actor because several agents may share one backend.
    public actor RequestLog {
        public private(set) var requests: [ModelRequest] = []
        fileprivate func append(_ request: ModelRequest) -> Int {
            requests.append(request)
            return requests.count - 1
        }
    }

    /// The tokens of `text` as this backend counts them: pieces of up to four characters.
    public static func pieces(of text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if current.count == 4 {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Prompt tokens of a request: four per message for the template's markers plus the pieces of its text,
    /// plus the pieces of the response prefix.
    public static func promptTokens(of request: ModelRequest) -> Int {
        request.messages.reduce(pieces(of: request.responsePrefix).count) { $0 + 4 + pieces(of: $1.content).count }
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let replies = self.replies, repeatLast = self.repeatLast, delay = self.tokenDelay
        let perToken = secondsPerToken, log = self.log, model = modelName
        return AsyncThrowingStream { continuation in
            let task = Task {
                let index = await log.append(request)
                guard index < replies.count || (repeatLast && !replies.isEmpty) else {
                    continuation.finish(throwing: AgentsError.backendFailed(
                        model: model, reason: "the script has only \(replies.count) replies"))
                    return
                }
                var reply = replies[min(index, replies.count - 1)]
                // Canned replies are whole replies: the part the prefix already wrote is not generated again.
                if !request.responsePrefix.isEmpty, reply.hasPrefix(request.responsePrefix) {
                    reply.removeFirst(request.responsePrefix.count)
                }
                let prompt = Self.promptTokens(of: request)
                continuation.yield(.prefilled(promptTokens: prompt, cachedTokens: 0))
                var generated = 0
                var stop = "stop"
                for piece in Self.pieces(of: reply) {
                    if generated >= request.maxTokens {
                        stop = "length"
                        break
                    }
                    if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
                    if Task.isCancelled {
                        stop = "cancelled"
                        break
                    }
                    continuation.yield(.token(piece))
                    generated += 1
                }
                continuation.yield(.finished(ModelUsage(
                    promptTokens: prompt, generatedTokens: generated, timeToFirstToken: delay,
                    tokensPerSecond: delay > 0 ? 1 / delay : 0, computeSeconds: Double(prompt + generated) * perToken,
                    stopReason: stop)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
