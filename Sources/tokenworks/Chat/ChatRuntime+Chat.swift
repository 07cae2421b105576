// A plain chat turn: the conversation rendered with the model's template, streamed into the transcript, and
// recorded as one model call in the ledger — also when the user cancels it halfway.
import Foundation
import Inference
import Ledger
import TUI

extension ChatRuntime {
    /// What the engine reported while a reply streamed; enough to build the call's record if it never
    /// finishes (a cancelled reply ends its stream before the final stats).
    struct StreamTally {
        var promptTokens = 0
        var cachedTokens = 0
        var generated = 0
        var drafted = 0
        var accepted = 0
        var firstTokenTime: Double?
        var lastTokenTime: Double?
        var gaps: [Double] = []
        var finished: (StopReason, CallStats)?
    }

    func runChatTurn(_ text: String, epoch: Int) async {
        guard let engine else {
            if case .remote(let endpoint, _) = model { await runRemoteChatTurn(text, endpoint: endpoint, epoch: epoch) }
            return
        }
        converse(SessionEntry(role: "user", text: text), epoch: epoch)
        var messages: [ChatMessage] = []
        if let system = session.settings.systemPrompt { messages.append(.system(system)) }
        for entry in session.conversation {
            messages.append(entry.role == "assistant" ? .assistant(entry.text) : .user(entry.text))
        }
        let tokens: [TokenID]
        do {
            tokens = try engine.chatTokens(messages: messages)
            if tokens.count >= engine.contextSize {
                throw InferenceError.contextOverflow(promptTokens: tokens.count, contextSize: engine.contextSize)
            }
        } catch {
            dropLastConversationEntry(epoch: epoch)
            let message = "\(error): /clear starts a new conversation"
            post(.transcript(.append(TranscriptEntry(role: .error, text: message))))
            remember(SessionEntry(role: "error", text: message), epoch: epoch)
            return
        }
        var parameters = configuration.parameters
        parameters.speculation = Self.speculation(session.settings.speculation)

        let callID = UUID().uuidString
        let started = Date()
        let startTime = MonotonicClock.now()
        let model = engine.modelName
        startCall(id: callID, parentID: nil, title: "reply: " + Self.excerpt(text, 40),
                  details: [CallDetail("model", modelFileName), CallDetail("spec", session.settings.speculation)])
        post(.transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true, label: model))))
        setContextUsed(tokens.count)
        setGenerating(true)
        postLive(force: true)

        var tally = StreamTally()
        var answer = ""
        var failure: (any Error)?
        do {
            for try await event in engine.generate(tokens: tokens, parameters: parameters, cacheKey: currentCacheKey) {
                switch event {
                case .prefilled(let prompt, let cached, _):
                    tally.promptTokens = prompt
                    tally.cachedTokens = cached
                case .token(_, let piece, let time):
                    tally.generated += 1
                    if let last = tally.lastTokenTime { tally.gaps.append(time - last) }
                    if tally.firstTokenTime == nil { tally.firstTokenTime = time }
                    tally.lastTokenTime = time
                    addTokens(1, to: callID)
                    if !piece.isEmpty {
                        answer += piece
                        if epoch == currentEpoch { post(.transcript(.stream(piece))) }
                    }
                    setContextUsed(tokens.count + tally.generated)
                    postLive()
                case .text(let piece):
                    answer += piece
                    if !piece.isEmpty { if epoch == currentEpoch { post(.transcript(.stream(piece))) } }
                case .speculation(let drafted, let accepted):
                    tally.drafted += drafted
                    tally.accepted += accepted
                case .finished(let reason, let stats):
                    tally.finished = (reason, stats)
                }
            }
        } catch {
            if !(error is CancellationError) && !Task.isCancelled { failure = error }
        }
        let cancelled = tally.finished == nil && failure == nil
        post(.transcript(.finishStreaming))

        let record = priced(Self.record(id: callID, sessionID: session.id, model: modelFileName, started: started,
                                        startTime: startTime, tally: tally, failure: failure,
                                        speculation: session.settings.speculation))
        await conclude(record: record, answer: answer, failure: failure, cancelled: cancelled,
                       contextFull: tally.finished?.0 == .contextFull, epoch: epoch)
    }

    /// The end every plain turn shares: the call recorded and shown, the reply kept in the conversation (or the
    /// error shown instead), and a notice for a cancelled, failed or context-full reply.
    func conclude(record: CallRecord, answer: String, failure: (any Error)?, cancelled: Bool, contextFull: Bool,
                  epoch: Int) async {
        let model = self.model.displayName
        await write(record)
        add(record, epoch: epoch)
        setContextUsed(record.tokens.prompt + record.tokens.generated)
        setGenerating(false)

        if let failure, answer.isEmpty {
            dropLastConversationEntry(epoch: epoch)
            post(.transcript(.append(TranscriptEntry(role: .error, text: "\(failure)"))))
            remember(SessionEntry(role: "error", text: "\(failure)"), epoch: epoch)
            return
        }
        converse(SessionEntry(role: "assistant", text: answer), epoch: epoch)
        remember(SessionEntry(role: "assistant", text: answer, label: model), epoch: epoch)
        if cancelled {
            notice("reply cancelled after \(record.tokens.generated) tokens", .warning)
        } else if let failure {
            report("the reply stopped: \(failure)", .error)
        } else if contextFull {
            notice("the context is full: /clear starts a new conversation", .warning)
        }
    }

    /// The ledger record of a plain chat reply: from the engine's final stats, or from what streamed before a
    /// cancellation or failure (then compute time is the wall time, which the reply had the model for).
    static func record(id: String, sessionID: String?, model: String, started: Date, startTime: Double,
                       tally: StreamTally, failure: (any Error)?, speculation: String) -> CallRecord {
        let prompt: Int, cached: Int, generated: Int, drafted: Int, accepted: Int
        let ttft: Double?, speed: Double?, compute: Double, batch: Double
        var share = 1.0
        var details: [String: JSONValue] = ["speculation": .string(speculation)]
        let outcome: CallRecord.Outcome
        if let (reason, stats) = tally.finished {
            prompt = stats.promptTokens
            cached = stats.cachedTokens
            generated = stats.generatedTokens
            drafted = stats.draftedTokens
            accepted = stats.acceptedTokens
            ttft = stats.timeToFirstToken
            speed = stats.tokensPerSecond
            compute = stats.computeSeconds
            batch = stats.meanBatchSize
            share = min(1, max(0, stats.computeShare))
            if stats.soloComputeSeconds > 0 { details[CallRecord.soloComputeKey] = .number(stats.soloComputeSeconds) }
            details.merge(CallDisplay.latencyDetails(stats.interTokenLatencies)) { _, new in new }
            details["stop_reason"] = .string(reason.description)
            outcome = reason == .cancelled ? .cancelled : .ok
        } else {
            let now = MonotonicClock.now()
            prompt = tally.promptTokens
            cached = tally.cachedTokens
            generated = tally.generated
            drafted = tally.drafted
            accepted = tally.accepted
            ttft = tally.firstTokenTime.map { max(0, $0 - startTime) }
            if let first = tally.firstTokenTime, let last = tally.lastTokenTime, generated > 1, last > first {
                speed = Double(generated - 1) / (last - first)
            } else {
                speed = 0
            }
            compute = max(0, now - startTime)
            batch = 1
            details.merge(CallDisplay.latencyDetails(tally.gaps)) { _, new in new }
            details["stop_reason"] = .string(failure == nil ? "cancelled" : "error")
            outcome = failure == nil ? .cancelled : .error
        }
        let tokens = TokenCounts(prompt: prompt, cached: min(cached, prompt), generated: generated, drafted: drafted,
                                 accepted: min(accepted, drafted), rejected: max(0, drafted - accepted))
        return CallRecord(
            id: id, runID: id, sessionID: sessionID, kind: .model, model: model, startedAt: started,
            endedAt: max(started, Date()), tokens: tokens, meanBatchSize: max(0, batch), computeShare: share,
            timeToFirstToken: ttft, tokensPerSecond: speed.map { $0.isFinite ? max(0, $0) : 0 },
            computeSeconds: max(0, compute), outcome: outcome, errorText: failure.map { "\($0)" }, details: details)
    }

    /// The request's speculation for a `/spec` mode.
    static func speculation(_ mode: String) -> SpeculationOptions {
        (try? SpeculationOptions(parsing: mode == "off" ? "none" : mode)) ?? .none
    }
}
