// One script's run, step by step: conditions, maps over lists (in order, or N at a time), retries, schema
// checks and budgets; each step's output joins the scope later steps read. Sub-scripts are nested runs.
import Foundation
import Ledger

/// The state of one script's run (the top script's, or a sub-script's inside a step).
struct ScriptExecution: Sendable {
    let runner: ScriptRunner
    let script: Script
    let runID: String
    /// The step that runs this script (sub-scripts).
    let parentID: String?
    /// The step path of that step.
    let path: [String]
    let events: ScriptEventSink
    let callID = UUID().uuidString
    let started = Date()
    let clock = ContinuousClock.now
    /// The script's budget bounded by what the caller had left.
    let budget: Budget
    var usage = Usage.zero
    /// Inputs and the outputs of the steps so far.
    var scope: [String: JSON]
    var outcomes: [ScriptStepOutcome] = []

    init(runner: ScriptRunner, script: Script, runID: String, parentID: String?, path: [String], bound: Budget,
         scope: [String: JSON], events: ScriptEventSink) {
        self.runner = runner
        self.script = script
        self.runID = runID
        self.parentID = parentID
        self.path = path
        self.budget = script.budget.bounded(by: bound)
        self.scope = scope
        self.events = events
    }

    var environment: AgentEnvironment { runner.environment }
    var elapsed: Double { BudgetWindow.seconds(since: clock) }

    var info: ScriptRunInfo {
        ScriptRunInfo(runID: runID, callID: callID, parentID: parentID, name: script.name, file: script.file,
                      steps: script.steps.map(\.name), path: path)
    }

    /// Forwards the agent loop's events, tagged with the step they belong to.
    func agentSink(_ path: [String]) -> EventSink {
        let events = self.events
        return EventSink { events.emit(.agent($0, path: path)) }
    }

    mutating func run() async -> ScriptResult {
        events.emit(.scriptStarted(info))
        var last: JSON?
        for (index, step) in script.steps.enumerated() {
            if Task.isCancelled { return await finish(.cancelled, error: .cancelled(step: step.name)) }
            if let e = budget.exhaustion(of: usage, elapsed: elapsed) {
                return await finish(.budget, error: .budgetSpent(script.budgetLocation, scope: .script(script.name),
                                                                  step: step.name, exhaustion: e))
            }
            let outcome = await runStep(step, number: index + 1)
            outcomes.append(outcome)
            usage = usage + outcome.usage
            scope[step.name] = outcome.output
            switch outcome.status {
            case .ok: last = outcome.output
            case .skipped: continue
            case .failed: return await finish(.failed, error: outcome.error)
            case .budget: return await finish(.budget, error: outcome.error)
            case .cancelled: return await finish(.cancelled, error: outcome.error ?? .cancelled(step: step.name))
            }
        }
        var output = last ?? .null
        if let template = script.output {
            do {
                output = try template.evaluate(in: scope)
            } catch {
                return await finish(.failed, error: error)
            }
        }
        return await finish(.ok, output: output)
    }

    private func finish(_ status: ScriptStatus, output: JSON? = nil, error: ScriptError? = nil) async -> ScriptResult {
        var details: [String: JSONValue] = ["script": .string(script.file), "status": .string(status.rawValue),
                                            "steps": .number(Double(outcomes.count))]
        if let output { details["output"] = .string(String(output.templateText.prefix(300))) }
        let record = CallRecord(
            id: callID, parentID: parentID, runID: runID, sessionID: environment.sessionID, kind: .scriptStep,
            agent: script.name, startedAt: started, endedAt: Date(), outcome: Self.outcome(status),
            errorText: error?.description, details: details)
        await runner.agents.write(record, events: agentSink(path))
        let result = ScriptResult(info: info, status: status, output: status == .ok ? output : nil, error: error,
                                  steps: outcomes, usage: usage, record: record)
        events.emit(.scriptFinished(result))
        return result
    }

    static func outcome(_ status: ScriptStatus) -> CallRecord.Outcome {
        switch status {
        case .ok: return .ok
        case .failed: return .error
        case .budget: return .budget
        case .cancelled: return .cancelled
        }
    }

    // MARK: Steps

    /// What one step (or item) came to before its record is written.
    struct StepRun: Sendable {
        var status: ScriptStepStatus
        var output: JSON = .null
        var attempts = 0
        var usage = Usage.zero
        var error: ScriptError?
    }

    func runStep(_ step: ScriptStep, number: Int) async -> ScriptStepOutcome {
        let stepPath = path + [step.name]
        var info = ScriptStepInfo(callID: UUID().uuidString, parentID: callID, runID: runID, path: stepPath,
                                  kind: step.action.kind, number: number, count: script.steps.count, item: nil,
                                  items: nil)
        let started = Date()
        var window = BudgetWindow(step: step.budget, script: budget, scriptUsage: usage, scriptStart: clock,
                                  scriptName: script.name, stepName: step.name)
        guard let forEach = step.forEach else {
            events.emit(.stepStarted(info))
            var run: StepRun
            if let skipped = condition(step, scope: scope) {
                run = skipped
            } else {
                run = await attempts(step, scope: scope, parentID: info.callID, info: info, window: &window)
            }
            return await finishStep(info, run, started: started)
        }

        let items: [JSON]
        do {
            let list = try forEach.evaluate(in: scope)
            guard case .array(let values) = list else {
                events.emit(.stepStarted(info))
                let found = list.typeDescription + (list.stringValue.map { " ('\($0.prefix(40))')" } ?? "")
                return await finishStep(info, StepRun(status: .failed, error: .notAList(forEach.location, found: found)),
                                        started: started)
            }
            items = values
        } catch {
            events.emit(.stepStarted(info))
            return await finishStep(info, StepRun(status: .failed, error: error), started: started)
        }
        info.items = items.count
        events.emit(.stepStarted(info))

        var results: [StepRun?] = Array(repeating: nil, count: items.count)
        var stop: StepRun?
        if step.parallel <= 1 {
            for (index, item) in items.enumerated() {
                if Task.isCancelled {
                    stop = StepRun(status: .cancelled, error: .cancelled(step: step.name))
                    break
                }
                if let spent = window.exhaustion() {
                    stop = StepRun(status: .budget, error: budgetError(step, spent))
                    break
                }
                let run = await runItem(step, item, index: index, of: items.count, stepInfo: info, window: window)
                window.charge(run.usage)
                results[index] = run
                if [.failed, .budget, .cancelled].contains(run.status) { break }
            }
        } else {
            let mapInfo = info
            await withTaskGroup(of: (Int, StepRun).self) { group in
                var next = 0
                var halted = false
                while next < min(step.parallel, items.count) {
                    let index = next, item = items[index], snapshot = window
                    group.addTask { (index, await self.runItem(step, item, index: index, of: items.count,
                                                               stepInfo: mapInfo, window: snapshot)) }
                    next += 1
                }
                for await (index, run) in group {
                    window.charge(run.usage)
                    results[index] = run
                    if [.failed, .budget, .cancelled].contains(run.status) { halted = true }
                    guard !halted, next < items.count else { continue }
                    if Task.isCancelled {
                        stop = StepRun(status: .cancelled, error: .cancelled(step: step.name))
                        halted = true
                    } else if let spent = window.exhaustion() {
                        stop = StepRun(status: .budget, error: budgetError(step, spent))
                        halted = true
                    } else {
                        let index = next, item = items[index], snapshot = window
                        group.addTask { (index, await self.runItem(step, item, index: index, of: items.count,
                                                                   stepInfo: mapInfo, window: snapshot)) }
                        next += 1
                    }
                }
            }
        }

        // The first item that did not succeed decides (in item order, whatever order they ran in).
        var run = StepRun(status: .ok, usage: window.stepUsage)
        run.attempts = results.compactMap { $0?.attempts }.max() ?? 0
        if let failed = results.compactMap({ $0 }).first(where: { [.failed, .budget, .cancelled].contains($0.status) }) {
            run.status = failed.status
            run.error = failed.error
        } else if let stop {
            run.status = stop.status
            run.error = stop.error
        }
        run.output = .array(results.compactMap { $0 }.filter { $0.status == .ok }.map(\.output))
        return await finishStep(info, run, started: started)
    }

    /// The step's `when:` when it is false (the step is skipped) or cannot be evaluated; nil to go on.
    func condition(_ step: ScriptStep, scope: [String: JSON]) -> StepRun? {
        guard let when = step.when else { return nil }
        do {
            return try when.evaluate(in: scope).isTruthy ? nil : StepRun(status: .skipped)
        } catch {
            return StepRun(status: .failed, error: error)
        }
    }

    /// One item of a mapped step, under its own record.
    func runItem(_ step: ScriptStep, _ item: JSON, index: Int, of count: Int, stepInfo: ScriptStepInfo,
                 window: BudgetWindow) async -> StepRun {
        var info = stepInfo
        info.callID = UUID().uuidString
        info.parentID = stepInfo.callID
        info.item = index + 1
        info.items = count
        var itemScope = scope
        itemScope[step.itemName] = item
        itemScope["loop"] = ["index": .number(Double(index + 1)), "count": .number(Double(count)),
                             "first": .bool(index == 0), "last": .bool(index == count - 1)]
        let started = Date()
        events.emit(.stepStarted(info))
        var window = window
        let run: StepRun
        if let skipped = condition(step, scope: itemScope) {
            run = skipped
        } else {
            run = await attempts(step, scope: itemScope, parentID: info.callID, info: info, window: &window)
        }
        _ = await finishStep(info, run, started: started)
        return run
    }

    /// Runs the step's action until it succeeds, a budget runs out, or its retries are used up.
    func attempts(_ step: ScriptStep, scope: [String: JSON], parentID: String, info: ScriptStepInfo,
                  window: inout BudgetWindow) async -> StepRun {
        var run = StepRun(status: .failed)
        while true {
            run.attempts += 1
            if Task.isCancelled {
                run.status = .cancelled
                run.error = .cancelled(step: step.name)
                return run
            }
            if let spent = window.exhaustion() {
                run.status = .budget
                run.error = budgetError(step, spent)
                return run
            }
            let outcome = await perform(step, scope: scope, parentID: parentID, path: info.path, bound: window.bound)
            window.charge(outcome.usage)
            run.usage = run.usage + outcome.usage
            let reason: String
            switch outcome.result {
            case .success(let value):
                run.status = .ok
                run.output = value
                return run
            case .invalid(let error):
                run.error = error
                return run
            case .cancelled:
                run.status = .cancelled
                run.error = .cancelled(step: step.name)
                return run
            case .budget(let agentExhaustion, let inner):
                if let spent = window.exhaustion() {
                    run.status = .budget
                    run.error = budgetError(step, spent)
                    return run
                }
                if let inner {
                    run.status = .budget
                    run.error = inner
                    return run
                }
                // The agent's own profile budget: the step failed, and may try again.
                reason = "the agent stopped: " + (agentExhaustion?.description ?? "its budget ran out")
            case .failure(let text):
                reason = text
            }
            if run.attempts > step.retry {
                run.error = .stepFailed(step.location, step: step.name, attempts: run.attempts, reason: reason)
                return run
            }
            if let spent = window.exhaustion() {
                run.status = .budget
                run.error = budgetError(step, spent)
                return run
            }
            events.emit(.stepRetrying(info, attempt: run.attempts + 1, reason: reason))
        }
    }

    func budgetError(_ step: ScriptStep, _ spent: (scope: BudgetScope, exhaustion: BudgetExhaustion)) -> ScriptError {
        let at: SourceLocation
        switch spent.scope {
        case .step: at = step.budgetLocation
        case .script: at = script.budgetLocation
        }
        return .budgetSpent(at, scope: spent.scope, step: step.name, exhaustion: spent.exhaustion)
    }

    /// Writes the step's (or item's) record and reports it.
    func finishStep(_ info: ScriptStepInfo, _ run: StepRun, started: Date) async -> ScriptStepOutcome {
        var details: [String: JSONValue] = ["kind": .string(info.kind), "status": .string(run.status.rawValue),
                                            "attempts": .number(Double(run.attempts))]
        if let item = info.item { details["item"] = .number(Double(item)) }
        if let items = info.items { details["items"] = .number(Double(items)) }
        if run.status == .ok { details["output"] = .string(String(run.output.templateText.prefix(300))) }
        let outcome: CallRecord.Outcome
        switch run.status {
        case .ok, .skipped: outcome = .ok
        case .failed: outcome = .error
        case .budget: outcome = .budget
        case .cancelled: outcome = .cancelled
        }
        let record = CallRecord(
            id: info.callID, parentID: info.parentID, runID: runID, sessionID: environment.sessionID,
            kind: .scriptStep, agent: info.title, startedAt: started, endedAt: Date(), outcome: outcome,
            errorText: run.error?.description, details: details)
        await runner.agents.write(record, events: agentSink(info.path))
        let result = ScriptStepOutcome(info: info, status: run.status, output: run.output, attempts: run.attempts,
                                       usage: run.usage, error: run.error, record: record)
        events.emit(.stepFinished(result))
        return result
    }
}
