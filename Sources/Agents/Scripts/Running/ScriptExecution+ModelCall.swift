// One model call made by a script itself (a prompt step, or turning an agent's answer into the step's JSON):
// streamed as the agent loop's own model calls are, budget-checked per token, priced and written to the ledger.
import Foundation
import Ledger

extension ScriptExecution {
    /// Calls the model once with `system` and `user`, decoding under `constraint` when given.
    func modelCall(system: String?, user: String, model: String?, name: String, maxTokens: Int, temperature: Double,
                   stop: [String], constraint: JSON?, parentID: String, path: [String],
                   bound: Budget) async -> ActionOutcome {
        if let spent = bound.exhaustion(of: .zero, elapsed: 0) { return ActionOutcome(result: .budget(spent, nil)) }
        let backend: any ModelBackend
        do {
            backend = try await environment.backends(AgentProfile(name: name, model: model, systemPrompt: ""))
        } catch {
            return ActionOutcome(result: .failure("\(error)"))
        }
        var messages: [AgentMessage] = []
        if let system, !system.isEmpty { messages.append(AgentMessage(.system, system)) }
        messages.append(AgentMessage(.user, user))
        let request = ModelRequest(messages: messages, maxTokens: maxTokens, temperature: temperature,
                                   stopSequences: stop, constraint: backend.supportsConstraints ? constraint : nil)
        let id = UUID().uuidString
        let events = agentSink(path)
        events.emit(.modelCallStarted(ModelCallInfo(callID: id, parentID: parentID, runID: runID, agent: name,
                                                    model: backend.modelName, step: 1)))
        let started = Date()
        let clock = ContinuousClock.now
        var reply = ""
        var prompt = 0, cached = 0, generated = 0
        var final: ModelUsage?
        var cancelled = false
        var failure: String?
        var exhaustion: BudgetExhaustion?
        // Mid-call only tokens and time can run out; steps and money were checked before the call.
        let streaming = Budget(maxTokens: bound.maxTokens, maxSeconds: bound.maxSeconds)
        do {
            for try await event in backend.stream(request) {
                switch event {
                case .prefilled(let p, let c):
                    prompt = p
                    cached = c
                case .token(let text):
                    generated += 1
                    reply += text
                    events.emit(.token(callID: id, text: text))
                case .text(let text):
                    reply += text
                case .finished(let usage):
                    final = usage
                }
                if Task.isCancelled {
                    cancelled = true
                    break
                }
                let live = Usage(tokens: TokenCounts(prompt: prompt, generated: generated))
                if final == nil,
                   let spent = streaming.exhaustion(of: live, elapsed: BudgetWindow.seconds(since: clock)) {
                    exhaustion = spent
                    break
                }
            }
        } catch {
            if Task.isCancelled || error is CancellationError { cancelled = true } else { failure = "\(error)" }
        }
        if Task.isCancelled { cancelled = true }
        let u = final ?? ModelUsage(promptTokens: prompt, cachedTokens: cached, generatedTokens: generated,
                                    stopReason: cancelled ? "cancelled" : "budget")
        let tokens = TokenCounts(prompt: u.promptTokens, cached: min(u.cachedTokens, u.promptTokens),
                                 generated: u.generatedTokens, drafted: u.draftedTokens,
                                 accepted: min(u.acceptedTokens, u.draftedTokens),
                                 rejected: max(0, u.draftedTokens - u.acceptedTokens))
        let outcome: CallRecord.Outcome = cancelled ? .cancelled
            : failure != nil ? .error : exhaustion != nil ? .budget : .ok
        let record = CallRecord(
            id: id, parentID: parentID, runID: runID, sessionID: environment.sessionID, kind: .model, agent: name,
            model: backend.modelName, startedAt: started, endedAt: Date(), tokens: tokens,
            meanBatchSize: max(0, u.meanBatchSize), computeShare: 1,
            timeToFirstToken: u.timeToFirstToken >= 0 ? u.timeToFirstToken : nil,
            tokensPerSecond: u.tokensPerSecond >= 0 ? u.tokensPerSecond : nil, computeSeconds: max(0, u.computeSeconds),
            outcome: outcome, errorText: failure ?? exhaustion?.description,
            details: ["step": .number(1), "stop_reason": .string(u.stopReason),
                      "constrained": .bool(request.constraint != nil)])
        let (priced, charged, notice) = runner.agents.price(record, isLocal: backend.isLocal)
        if let notice { events.emit(.notice(notice)) }
        await runner.agents.write(priced, events: events)
        events.emit(.modelCallFinished(priced, reply: reply))
        let usage = Usage(steps: 1, tokens: tokens, cost: charged, cloudCost: priced.cloudCost ?? .zero)
        if cancelled { return ActionOutcome(result: .cancelled, usage: usage) }
        if let failure { return ActionOutcome(result: .failure(failure), usage: usage) }
        if let exhaustion { return ActionOutcome(result: .budget(exhaustion, nil), usage: usage) }
        return ActionOutcome(result: .success(.string(reply)), usage: usage)
    }
}
