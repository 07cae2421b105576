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
    /// The last tool call, to notice a model repeating itself.
    var lastCall: (name: String, arguments: JSONObject)?
    /// The next reply must be the answer (set after a repeated call when there is no other tool).
    var answerRequired = false
    /// A tool the next reply may not call (the one just repeated).
    var excludedTool: String?
    /// How many repeated calls the model has made.
    var repeats = 0

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

        let specs = tools.map { ToolSpec($0, workspace: environment.workspace) }
        let format = ToolCallFormat.choose(profile.toolFormat, nativeAvailable: backend.supportsNativeTools,
                                           jsonInstructions: environment.jsonInstructions)
        let parallel = profile.parallelCalls && !specs.isEmpty
        conversation = [AgentMessage(.system, format.systemPrompt(base: profile.systemPrompt, tools: specs,
                                                                  parallel: parallel)),
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
            let request = ModelRequest(
                messages: format.render(conversation), tools: format.passesToolsToTemplate ? specs : [],
                maxTokens: profile.maxTokensPerCall, temperature: profile.temperature,
                stopSequences: format.stopSequences(constrained: constrained),
                constraint: constrained
                    ? format.replySchema(tools: specs.filter { $0.name != excludedTool }, toolRequired: toolRequired,
                                         answerRequired: answerRequired,
                                         maxCalls: parallel ? max(2, profile.maxParallel) : 1) : nil,
                cacheKey: callID,
                responsePrefix: constrained
                    ? "" : format.responsePrefix(toolRequired: toolRequired && !parallel, answerRequired: answerRequired),
                repetitionPenalty: profile.repetitionPenalty, requiresTool: toolRequired && format.passesToolsToTemplate)
            answerRequired = false
            excludedTool = nil
            let model = await callModel(backend, request, step: steps)
            usage = usage + model.usage
            if model.cancelled { return await finish(info: info, answer: nil, stop: .cancelled) }
            if let failure = model.failure { return await finish(info: info, answer: nil, stop: .failed(failure)) }
            if let exhaustion = model.exhaustion {
                events.emit(.budgetExhausted(callID: callID, exhaustion))
                return await finish(info: info, answer: nil, stop: .budget(exhaustion))
            }

            // The stop text is not part of the reply; a reply cut at `"}` is closed again by the parser.
            let reply = request.responsePrefix + model.reply
            conversation.append(AgentMessage(.assistant, reply))
            switch format.parse(reply) {
            case .answer(let answer):
                return await finish(info: info, answer: answer, stop: .answered)
            case .malformed(let problem):
                let error = AgentsError.malformedToolCall(output: reply, problem: problem)
                conversation.append(AgentMessage(.user, error.description))
            case .toolCall(let name, let arguments):
                // The same call again cannot tell the model anything new: say so, and ask for the answer next.
                if let previous = lastCall, previous.name == name, previous.arguments == arguments {
                    repeats += 1
                    // The first repeat may move on to another tool; after that only the answer is left.
                    let others = repeats == 1 && specs.contains { $0.name != name }
                    conversation.append(AgentMessage(.user, "You already called \(name) with these arguments and saw "
                                                     + "its result above. "
                                                     + (others ? "Use another tool or give your answer now."
                                                               : "Give your answer now.")))
                    if others { excludedTool = name } else { answerRequired = true }
                    continue
                }
                lastCall = (name, arguments)
                let outcome = await callTool(name, arguments, tools: tools, parentID: model.callID)
                usage = usage + outcome.usage
                if outcome.cancelled { return await finish(info: info, answer: nil, stop: .cancelled) }
                if let exhaustion = outcome.exhaustion {
                    events.emit(.budgetExhausted(callID: callID, exhaustion))
                    return await finish(info: info, answer: nil, stop: .budget(exhaustion))
                }
                conversation.append(AgentMessage(.tool(name), outcome.output))
            case .toolCalls(let calls):
                lastCall = nil
                let outcomes = await callTools(calls, tools: tools, parentID: model.callID)
                for outcome in outcomes { usage = usage + outcome.usage }
                if outcomes.contains(where: \.cancelled) { return await finish(info: info, answer: nil, stop: .cancelled) }
                if let exhaustion = outcomes.lazy.compactMap(\.exhaustion).first {
                    events.emit(.budgetExhausted(callID: callID, exhaustion))
                    return await finish(info: info, answer: nil, stop: .budget(exhaustion))
                }
                // Results go back in the reply's order, whatever order the calls finished in.
                for (call, outcome) in zip(calls, outcomes) {
                    conversation.append(AgentMessage(.tool(call.name), outcome.output))
                }
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
            meanBatchSize: max(0, u.meanBatchSize), computeShare: min(1, max(0, u.computeShare)),
            timeToFirstToken: u.timeToFirstToken >= 0 ? u.timeToFirstToken : nil,
            tokensPerSecond: u.tokensPerSecond >= 0 ? u.tokensPerSecond : nil, computeSeconds: max(0, u.computeSeconds),
            outcome: recordOutcome, errorText: outcome.failure ?? outcome.exhaustion?.description,
            details: ["step": .number(Double(step)), "stop_reason": .string(u.stopReason),
                      "constrained": .bool(u.constrained)].merging(Self.soloDetails(u)) { a, _ in a })
        let (priced, charged, notice) = runner.price(record, isLocal: backend.isLocal)
        if let notice { events.emit(.notice(notice)) }
        await runner.write(priced, events: events)
        events.emit(.modelCallFinished(priced, reply: reply))
        outcome.reply = reply
        outcome.usage = Usage(steps: 1, tokens: tokens, cost: charged, cloudCost: priced.cloudCost ?? .zero)
        return outcome
    }

    /// `solo_compute_s`: the compute a batched call would have needed alone (what the cost pane compares with).
    static func soloDetails(_ u: ModelUsage) -> [String: JSONValue] {
        guard u.soloComputeSeconds > 0, u.soloComputeSeconds.isFinite else { return [:] }
        return [CallRecord.soloComputeKey: .number(u.soloComputeSeconds)]
    }

    // MARK: Tool calls

    struct ToolCallOutcome: Sendable {
        var output: String
        var usage: Usage
        var cancelled = false
        var exhaustion: BudgetExhaustion?
    }

    /// What a tool call needs from the loop, as a value concurrent calls can share.
    struct ToolCallSetup: Sendable {
        let runner: AgentRunner
        let profile: AgentProfile
        let runID: String
        let depth: Int
        /// What the call may spend (the loop's remainder, split among calls running at the same time).
        let remaining: Budget
        /// Seconds the agent had used when the call started, and its time limit.
        let elapsed: Double
        let maxSeconds: Double?
        let events: EventSink
    }

    private func setup(sharedBy count: Int) -> ToolCallSetup {
        ToolCallSetup(runner: runner, profile: profile, runID: runID, depth: parent?.depth ?? 0,
                      remaining: budget.remaining(after: usage, elapsed: elapsed).split(among: count),
                      elapsed: elapsed, maxSeconds: budget.maxSeconds, events: events)
    }

    private func callTool(_ name: String, _ arguments: JSONObject, tools: [any Tool],
                          parentID: String) async -> ToolCallOutcome {
        await Self.callTool(name, arguments, tools: tools, parentID: parentID, setup: setup(sharedBy: 1))
    }

    /// Runs the calls of one reply: consecutive calls of tools that may run concurrently (sub-agents, reads) go
    /// together, at most `profile.maxParallel` at a time — sub-agents on one in-process model then share its
    /// forward passes — and the others one by one, in the reply's order. Outcomes come back in that order.
    private func callTools(_ calls: [ToolCallRequest], tools: [any Tool], parentID: String) async -> [ToolCallOutcome] {
        var outcomes: [ToolCallOutcome] = []
        var i = 0
        while i < calls.count {
            var end = i + 1
            func concurrent(_ call: ToolCallRequest) -> Bool {
                tools.first { $0.name == call.name }?.runsConcurrently ?? false
            }
            if concurrent(calls[i]) { while end < calls.count && concurrent(calls[end]) { end += 1 } }
            let group = Array(calls[i..<end])
            let width = min(group.count, max(1, profile.maxParallel))
            let shared = setup(sharedBy: width)
            if group.count == 1 || width == 1 {
                for call in group {
                    outcomes.append(await Self.callTool(call.name, call.arguments, tools: tools, parentID: parentID,
                                                        setup: setup(sharedBy: 1)))
                    if outcomes.last?.cancelled == true { return outcomes }
                }
            } else {
                outcomes += await withTaskGroup(of: (Int, ToolCallOutcome).self) { tasks in
                    var results = [ToolCallOutcome?](repeating: nil, count: group.count)
                    var next = 0
                    while next < width {
                        let k = next, call = group[k]
                        tasks.addTask { (k, await Self.callTool(call.name, call.arguments, tools: tools,
                                                                parentID: parentID, setup: shared)) }
                        next += 1
                    }
                    while let (k, outcome) = await tasks.next() {
                        results[k] = outcome
                        if next < group.count {
                            let j = next, call = group[j]
                            tasks.addTask { (j, await Self.callTool(call.name, call.arguments, tools: tools,
                                                                    parentID: parentID, setup: shared)) }
                            next += 1
                        }
                    }
                    return results.map { $0 ?? ToolCallOutcome(output: "", usage: .zero, cancelled: true) }
                }
            }
            i = end
        }
        return outcomes
    }

    private static func callTool(_ name: String, _ arguments: JSONObject, tools: [any Tool], parentID: String,
                                 setup: ToolCallSetup) async -> ToolCallOutcome {
        let profile = setup.profile, environment = setup.runner.environment, events = setup.events
        let began = ContinuousClock.now
        func elapsed() -> Double {
            let d = ContinuousClock.now - began
            return setup.elapsed + Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        let toolCallID = UUID().uuidString
        events.emit(.toolStarted(ToolCallInfo(callID: toolCallID, parentID: parentID, runID: setup.runID,
                                              agent: profile.name, tool: name, arguments: arguments)))
        let callStarted = Date()
        var result: ToolResult
        var outcome = ToolCallOutcome(output: "", usage: Usage(toolCalls: 1))
        if let tool = tools.first(where: { $0.name == name }) {
            let context = ToolContext(workspace: environment.workspace, runID: setup.runID, callID: toolCallID,
                                      agent: profile.name, depth: setup.depth, remaining: setup.remaining,
                                      confirm: environment.confirm, events: events)
            let toolArguments = ToolArguments(tool: name, object: arguments)
            let timeLeft = setup.maxSeconds.map { max(0, $0 - setup.elapsed) }
            do {
                if let finished = try await withDeadline(timeLeft, { try await tool.run(toolArguments, context: context) }) {
                    result = finished
                } else {
                    let exhaustion = BudgetExhaustion(kind: .time, used: elapsed(), limit: setup.maxSeconds ?? 0)
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
            id: toolCallID, parentID: parentID, runID: setup.runID, sessionID: environment.sessionID, kind: .tool,
            agent: profile.name, tool: name, startedAt: callStarted, endedAt: Date(), outcome: recordOutcome,
            errorText: result.isError ? String(result.output.prefix(500)) : nil, details: details)
        await setup.runner.write(record, events: events)
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
