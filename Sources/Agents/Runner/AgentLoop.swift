// One agent's run, step by step: the state of the loop (conversation, usage, budget) and the two kinds of
// call it makes. Kept apart from AgentRunner so the loop reads top to bottom.
import Foundation
import Ledger

/// The mutable state of one agent's run.
struct AgentLoop {
    let runner: AgentRunner
    let profile: AgentProfile
    let task: String
    let runID: String
    let parent: AgentRunner.ParentLink?
    let events: EventSink

    let callID = UUID().uuidString
    let started = Date()
    let clock = ContinuousClock.now
    /// The profile's budget bounded by the parent's remainder.
    let budget: Budget
    var usage = Usage.zero
    var conversation: [AgentMessage] = []
    var steps = 0
    var warned: Set<BudgetKind> = []

    init(runner: AgentRunner, profile: AgentProfile, task: String, runID: String, parent: AgentRunner.ParentLink?,
         events: EventSink) {
        self.runner = runner
        self.profile = profile
        self.task = task
        self.runID = runID
        self.parent = parent
        self.events = events
        self.budget = parent.map { profile.budget.bounded(by: $0.bound) } ?? profile.budget
    }

    var elapsed: Double {
        let d = ContinuousClock.now - clock
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    var environment: AgentEnvironment { runner.environment }

    mutating func run() async -> AgentRunResult {
        var info = AgentRunInfo(runID: runID, callID: callID, parentCallID: parent?.callID, agent: profile.name,
                                model: profile.model ?? "default", depth: parent?.depth ?? 0, task: task)
        let backend: any ModelBackend
        let tools: [any Tool]
        do {
            backend = try await environment.backends(profile)
            info.model = backend.modelName
            tools = try runner.tools(for: profile)
        } catch {
            events.emit(.runStarted(info))
            return await finish(info: info, answer: nil, stop: .failed("\(error)"))
        }
        events.emit(.runStarted(info))

        let specs = tools.map(ToolSpec.init)
        let format = ToolCallFormat.choose(profile.toolFormat, nativeAvailable: backend.supportsNativeTools,
                                           jsonInstructions: environment.jsonInstructions)
        conversation = [AgentMessage(.system, format.systemPrompt(base: profile.systemPrompt, tools: specs)),
                        AgentMessage(.user, task)]
        let constrained = profile.constrained && backend.supportsConstraints

        while true {
            if Task.isCancelled { return await finish(info: info, answer: nil, stop: .cancelled) }
            if let exhaustion = budget.exhaustion(of: usage, elapsed: elapsed) {
                events.emit(.budgetExhausted(callID: callID, exhaustion))
                return await finish(info: info, answer: nil, stop: .budget(exhaustion))
            }
            warnIfNeeded()

            steps += 1
            let toolRequired = profile.toolFirst && steps == 1 && !specs.isEmpty
            let request = ModelRequest(messages: format.render(conversation),
                                       tools: format.passesToolsToTemplate ? specs : [],
                                       maxTokens: profile.maxTokensPerCall, temperature: profile.temperature,
                                       constraint: constrained ? format.replySchema(tools: specs, toolRequired: toolRequired) : nil,
                                       cacheKey: callID,
                                       responsePrefix: constrained ? "" : format.responsePrefix(toolRequired: toolRequired),
                                       repetitionPenalty: profile.repetitionPenalty)
            let model = await callModel(backend, request, step: steps)
            usage = usage + model.usage
            if model.cancelled { return await finish(info: info, answer: nil, stop: .cancelled) }
            if let failure = model.failure { return await finish(info: info, answer: nil, stop: .failed(failure)) }
            if let exhaustion = model.exhaustion {
                events.emit(.budgetExhausted(callID: callID, exhaustion))
                return await finish(info: info, answer: nil, stop: .budget(exhaustion))
            }

            let reply = request.responsePrefix + model.reply
            conversation.append(AgentMessage(.assistant, reply))
            switch format.parse(reply) {
            case .answer(let answer):
                return await finish(info: info, answer: answer, stop: .answered)
            case .malformed(let problem):
                let error = AgentsError.malformedToolCall(output: reply, problem: problem)
                conversation.append(AgentMessage(.user, error.description))
            case .toolCall(let name, let arguments):
                let outcome = await callTool(name, arguments, tools: tools, parentID: model.callID)
                usage = usage + outcome.usage
                if outcome.cancelled { return await finish(info: info, answer: nil, stop: .cancelled) }
                if let exhaustion = outcome.exhaustion {
                    events.emit(.budgetExhausted(callID: callID, exhaustion))
                    return await finish(info: info, answer: nil, stop: .budget(exhaustion))
                }
                conversation.append(AgentMessage(.tool(name), outcome.output))
            }
        }
    }

    private mutating func warnIfNeeded() {
        for kind in budget.kinds(above: environment.warningFraction, usage: usage, elapsed: elapsed)
        where !warned.contains(kind.kind) {
            warned.insert(kind.kind)
            events.emit(.budgetWarning(callID: callID, kind))
        }
    }

    // MARK: Model calls

    struct ModelCallOutcome {
        var callID: String
        var reply: String
        var usage: Usage
        var cancelled = false
        var failure: String?
        var exhaustion: BudgetExhaustion?
    }

    private func callModel(_ backend: any ModelBackend, _ request: ModelRequest, step: Int) async -> ModelCallOutcome {
        let modelCallID = UUID().uuidString
        events.emit(.modelCallStarted(ModelCallInfo(callID: modelCallID, parentID: callID, runID: runID,
                                                    agent: profile.name, model: backend.modelName, step: step)))
        let callStarted = Date()
        var reply = ""
        var prompt = 0, cached = 0, generated = 0
        var final: ModelUsage?
        var outcome = ModelCallOutcome(callID: modelCallID, reply: "", usage: .zero)
        // Mid-call only tokens and time can run out; steps and money are checked between calls.
        let streaming = Budget(maxTokens: budget.maxTokens, maxSeconds: budget.maxSeconds)
        do {
            for try await event in backend.stream(request) {
                switch event {
                case .prefilled(let p, let c):
                    prompt = p
                    cached = c
                case .token(let text):
                    generated += 1
                    reply += text
                    events.emit(.token(callID: modelCallID, text: text))
                case .text(let text):
                    reply += text
                case .finished(let u):
                    final = u
                }
                if Task.isCancelled {
                    outcome.cancelled = true
                    break
                }
                let live = usage + Usage(tokens: TokenCounts(prompt: prompt, generated: generated))
                if final == nil, let exhaustion = streaming.exhaustion(of: live, elapsed: elapsed) {
                    outcome.exhaustion = exhaustion
                    break
                }
            }
        } catch {
            if Task.isCancelled || error is CancellationError {
                outcome.cancelled = true
            } else {
                outcome.failure = "\(error)"
            }
        }
        if Task.isCancelled { outcome.cancelled = true }
        let u = final ?? ModelUsage(promptTokens: prompt, cachedTokens: cached, generatedTokens: generated,
                                    stopReason: outcome.cancelled ? "cancelled" : "budget")
        let tokens = TokenCounts(prompt: u.promptTokens, cached: min(u.cachedTokens, u.promptTokens),
                                 generated: u.generatedTokens, drafted: u.draftedTokens,
                                 accepted: min(u.acceptedTokens, u.draftedTokens),
                                 rejected: max(0, u.draftedTokens - u.acceptedTokens))
        let recordOutcome: CallRecord.Outcome = outcome.cancelled ? .cancelled
            : outcome.failure != nil ? .error : outcome.exhaustion != nil ? .budget : .ok
        let record = CallRecord(
            id: modelCallID, parentID: callID, runID: runID, sessionID: environment.sessionID, kind: .model,
            agent: profile.name, model: backend.modelName, startedAt: callStarted, endedAt: Date(), tokens: tokens,
            meanBatchSize: max(0, u.meanBatchSize), computeShare: 1,
            timeToFirstToken: u.timeToFirstToken >= 0 ? u.timeToFirstToken : nil,
            tokensPerSecond: u.tokensPerSecond >= 0 ? u.tokensPerSecond : nil, computeSeconds: max(0, u.computeSeconds),
            outcome: recordOutcome, errorText: outcome.failure ?? outcome.exhaustion?.description,
            details: ["step": .number(Double(step)), "stop_reason": .string(u.stopReason),
                      "constrained": .bool(u.constrained)])
        let (priced, charged, notice) = runner.price(record, isLocal: backend.isLocal)
        if let notice { events.emit(.notice(notice)) }
        await runner.write(priced, events: events)
        events.emit(.modelCallFinished(priced, reply: reply))
        outcome.reply = reply
        outcome.usage = Usage(steps: 1, tokens: tokens, cost: charged, cloudCost: priced.cloudCost ?? .zero)
        return outcome
    }

    // MARK: Tool calls

    struct ToolCallOutcome {
        var output: String
        var usage: Usage
        var cancelled = false
        var exhaustion: BudgetExhaustion?
    }

    private func callTool(_ name: String, _ arguments: JSONObject, tools: [any Tool],
                          parentID: String) async -> ToolCallOutcome {
        let toolCallID = UUID().uuidString
        events.emit(.toolStarted(ToolCallInfo(callID: toolCallID, parentID: parentID, runID: runID,
                                              agent: profile.name, tool: name, arguments: arguments)))
        let callStarted = Date()
        var result: ToolResult
        var outcome = ToolCallOutcome(output: "", usage: Usage(toolCalls: 1))
        if let tool = tools.first(where: { $0.name == name }) {
            let context = ToolContext(workspace: environment.workspace, runID: runID, callID: toolCallID,
                                      agent: profile.name, depth: parent?.depth ?? 0,
                                      remaining: budget.remaining(after: usage, elapsed: elapsed),
                                      confirm: environment.confirm, events: events)
            let toolArguments = ToolArguments(tool: name, object: arguments)
            let timeLeft = budget.maxSeconds.map { max(0, $0 - elapsed) }
            do {
                if let finished = try await withDeadline(timeLeft, { try await tool.run(toolArguments, context: context) }) {
                    result = finished
                } else {
                    let exhaustion = BudgetExhaustion(kind: .time, used: elapsed, limit: budget.maxSeconds ?? 0)
                    outcome.exhaustion = exhaustion
                    result = ToolResult(output: "stopped: \(exhaustion)", isError: true)
                }
            } catch {
                if Task.isCancelled || error is CancellationError { outcome.cancelled = true }
                result = .failure(error)
            }
            if Task.isCancelled { outcome.cancelled = true }
        } else {
            result = .failure(AgentsError.unknownTool(name: name, available: tools.map(\.name)))
        }
        let (shown, truncated) = ToolResult.capped(result.output, limit: profile.resultLimit)
        var details = result.details.mapValues(\.ledgerValue)
        details["arguments"] = .string(String(JSON.object(arguments).text.prefix(300)))
        if truncated { details["result_truncated"] = .bool(true) }
        let recordOutcome: CallRecord.Outcome = outcome.cancelled ? .cancelled
            : outcome.exhaustion != nil ? .budget : result.isError ? .error : .ok
        let record = CallRecord(
            id: toolCallID, parentID: parentID, runID: runID, sessionID: environment.sessionID, kind: .tool,
            agent: profile.name, tool: name, startedAt: callStarted, endedAt: Date(), outcome: recordOutcome,
            errorText: result.isError ? String(result.output.prefix(500)) : nil, details: details)
        await runner.write(record, events: events)
        events.emit(.toolFinished(record, result: result))
        outcome.output = shown
        outcome.usage = outcome.usage + result.usage
        return outcome
    }

    // MARK: The end

    private func finish(info: AgentRunInfo, answer: String?, stop: StopCause) async -> AgentRunResult {
        let outcome: CallRecord.Outcome
        switch stop {
        case .answered: outcome = .ok
        case .budget: outcome = .budget
        case .cancelled: outcome = .cancelled
        case .failed: outcome = .error
        }
        var details: [String: JSONValue] = ["steps": .number(Double(steps)), "depth": .number(Double(info.depth))]
        if let answer { details["answer"] = .string(String(answer.prefix(300))) }
        let record = CallRecord(
            id: callID, parentID: parent?.callID, runID: runID, sessionID: environment.sessionID, kind: .agent,
            agent: profile.name, model: info.model, startedAt: started, endedAt: Date(), outcome: outcome,
            errorText: stop == .answered ? nil : stop.description, details: details)
        await runner.write(record, events: events)
        let result = AgentRunResult(info: info, answer: answer, stop: stop, usage: usage, record: record)
        events.emit(.runFinished(result))
        return result
    }
}
