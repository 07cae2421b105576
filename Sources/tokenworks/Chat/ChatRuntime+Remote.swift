// A plain chat turn on a remote OpenAI-compatible model: streamed into the transcript like a local reply, its
// latency measured here, its token counts taken from the server's usage, recorded in the same ledger.
import Agents
import Foundation
import Inference
import Ledger
import TUI

extension ChatRuntime {
    func runRemoteChatTurn(_ text: String, endpoint: RemoteEndpoint, epoch: Int) async {
        converse(SessionEntry(role: "user", text: text), epoch: epoch)
        var messages: [AgentMessage] = []
        if let system = session.settings.systemPrompt { messages.append(AgentMessage(.system, system)) }
        for entry in session.conversation {
            messages.append(AgentMessage(entry.role == "assistant" ? .assistant : .user, entry.text))
        }
        let parameters = configuration.parameters
        let request = ModelRequest(messages: messages, maxTokens: parameters.maxTokens,
                                   temperature: Double(parameters.sampling.temperature),
                                   stopSequences: parameters.stopSequences, cacheKey: currentCacheKey,
                                   repetitionPenalty: Double(parameters.sampling.repetitionPenalty))

        let callID = UUID().uuidString
        let started = Date()
        let startTime = MonotonicClock.now()
        startCall(id: callID, parentID: nil, title: "reply: " + Self.excerpt(text, 40),
                  details: [CallDetail("model", endpoint.name), CallDetail("endpoint", endpoint.baseURL)])
        post(.transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true, label: endpoint.name))))
        setGenerating(true)
        postLive(force: true)

        var tally = StreamTally()
        var usage: ModelUsage?
        var answer = ""
        var failure: (any Error)?
        do {
            for try await event in RemoteBackend(endpoint: endpoint).stream(request) {
                switch event {
                case .prefilled(let prompt, let cached):
                    tally.promptTokens = prompt
                    tally.cachedTokens = cached
                case .token(let piece):
                    let time = MonotonicClock.now()
                    tally.generated += 1
                    if let last = tally.lastTokenTime { tally.gaps.append(time - last) }
                    if tally.firstTokenTime == nil { tally.firstTokenTime = time }
                    tally.lastTokenTime = time
                    addTokens(1, to: callID)
                    answer += piece
                    if !piece.isEmpty, epoch == currentEpoch { post(.transcript(.stream(piece))) }
                    postLive()
                case .text(let piece):
                    answer += piece
                    if !piece.isEmpty, epoch == currentEpoch { post(.transcript(.stream(piece))) }
                case .finished(let final):
                    usage = final
                }
            }
        } catch {
            if !(error is CancellationError) && !Task.isCancelled { failure = error }
        }
        let cancelled = usage == nil && failure == nil
        post(.transcript(.finishStreaming))
        let record = pricedRemote(Self.remoteRecord(id: callID, sessionID: session.id, endpoint: endpoint,
                                                    started: started, startTime: startTime, tally: tally,
                                                    usage: usage, failure: failure), endpoint: endpoint)
        await conclude(record: record, answer: answer, failure: failure, cancelled: cancelled,
                       contextFull: false, epoch: epoch)
    }

    /// The ledger record of a remote reply. Token counts are the server's usage when it reported one (else what
    /// streamed); time to first token and inter-token gaps are measured here, where the user waits for them.
    /// A remote call uses no local compute: its cost is the provider's price of its tokens.
    static func remoteRecord(id: String, sessionID: String?, endpoint: RemoteEndpoint, started: Date,
                             startTime: Double, tally: StreamTally, usage: ModelUsage?,
                             failure: (any Error)?) -> CallRecord {
        let prompt = usage?.promptTokens ?? tally.promptTokens
        let cached = usage?.cachedTokens ?? tally.cachedTokens
        let generated = max(usage?.generatedTokens ?? 0, tally.generated)
        let ttft = tally.firstTokenTime.map { max(0, $0 - startTime) } ?? usage?.timeToFirstToken
        var speed = usage?.tokensPerSecond ?? 0
        if let first = tally.firstTokenTime, let last = tally.lastTokenTime, tally.generated > 1, last > first {
            speed = Double(tally.generated - 1) / (last - first)
        }
        var details: [String: JSONValue] = ["endpoint": .string(endpoint.baseURL),
                                            "remote_model": .string(endpoint.model)]
        details.merge(CallDisplay.latencyDetails(tally.gaps)) { _, new in new }
        let outcome: CallRecord.Outcome
        if failure != nil {
            details["stop_reason"] = .string("error")
            outcome = .error
        } else if let usage {
            details["stop_reason"] = .string(usage.stopReason)
            outcome = .ok
        } else {
            details["stop_reason"] = .string("cancelled")
            outcome = .cancelled
        }
        let tokens = TokenCounts(prompt: prompt, cached: min(cached, prompt), generated: generated)
        return CallRecord(
            id: id, runID: id, sessionID: sessionID, kind: .model, model: endpoint.name, startedAt: started,
            endedAt: max(started, Date()), tokens: tokens, meanBatchSize: 1, computeShare: 1,
            timeToFirstToken: ttft, tokensPerSecond: speed.isFinite ? max(0, speed) : 0, computeSeconds: 0,
            outcome: outcome, errorText: failure.map { "\($0)" }, details: details)
    }

    /// A remote call priced at its own model's list price when the price sheet knows the model, else at the
    /// sheet's comparison model (then the figure is an estimate, as for local calls).
    func pricedRemote(_ record: CallRecord, endpoint: RemoteEndpoint) -> CallRecord {
        guard let prices, prices.models[endpoint.model] != nil,
              let exact = try? prices.priced(record, against: endpoint.model) else { return priced(record) }
        return exact
    }
}
