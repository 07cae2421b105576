// What each kind of step does: a model prompt (decoded under the step's schema), an agent run under the step's
// call, a direct tool call, or a sub-script. Each returns its output and what it spent.
import Foundation
import Ledger

extension ScriptExecution {
    /// How one attempt of a step's action ended.
    enum ActionResult: Sendable {
        case success(JSON)
        /// A failure a retry may fix (the model's output, a tool error).
        case failure(String)
        /// A failure no retry can fix (a template that cannot be evaluated, wrong sub-script inputs).
        case invalid(ScriptError)
        /// A budget ran out: the agent's (with its exhaustion) or a sub-script's (with its error).
        case budget(BudgetExhaustion?, ScriptError?)
        case cancelled
    }

    struct ActionOutcome: Sendable {
        var result: ActionResult
        var usage = Usage.zero
    }

    /// One attempt of the step's action, with the step's schema applied to its output.
    func perform(_ step: ScriptStep, scope: [String: JSON], parentID: String, path: [String],
                 bound: Budget) async -> ActionOutcome {
        var outcome: ActionOutcome
        var model: String?
        switch step.action {
        case .prompt(let prompt):
            outcome = await runPrompt(prompt, step: step, scope: scope, parentID: parentID, path: path, bound: bound)
            model = prompt.model
        case .agent(let profile, let task):
            outcome = await runAgent(profile, task: task, scope: scope, parentID: parentID, path: path, bound: bound)
            model = profile.model
        case .tool(let name, let arguments):
            outcome = await runTool(name, arguments: arguments, step: step, scope: scope, parentID: parentID,
                                    path: path, bound: bound)
        case .script(let sub, let vars):
            outcome = await runScript(sub, vars: vars, scope: scope, parentID: parentID, path: path, bound: bound)
        }
        guard let schema = step.schema, case .success(let value) = outcome.result else { return outcome }
        if let conforming = Self.conforming(value, schema: schema) {
            outcome.result = .success(conforming)
            return outcome
        }
        guard case .agent(let profile, _) = step.action, let answer = value.stringValue else {
            outcome.result = .failure(Self.mismatch(step, value, schema))
            return outcome
        }
        // An agent answers in prose: one call under the schema's grammar writes the answer as the JSON asked for.
        let system = "Write the information in the text below as JSON." + Self.keysHint(schema)
        let converted = await modelCall(system: system, user: answer, model: model, name: profile.name,
                                        maxTokens: max(128, profile.maxTokensPerCall), temperature: 0, stop: [],
                                        constraint: schema, parentID: parentID, path: path,
                                        bound: bound.remaining(after: outcome.usage, elapsed: 0))
        outcome.usage = outcome.usage + converted.usage
        switch converted.result {
        case .success(let json):
            if let conforming = Self.conforming(json, schema: schema) {
                outcome.result = .success(conforming)
            } else {
                outcome.result = .failure(Self.mismatch(step, json, schema))
            }
        default:
            outcome.result = converted.result
        }
        return outcome
    }

    /// `value` (or the JSON a text holds) when it matches `schema`.
    static func conforming(_ value: JSON, schema: JSON) -> JSON? {
        var candidate = value
        if case .string(let text) = value, let parsed = try? JSON(parsing: text) { candidate = parsed }
        // Spelled out: JSON is ExpressibleByNilLiteral, so a bare `nil` in a ternary would become JSON.null.
        guard SchemaCheck.problem(with: candidate, schema: schema) == nil else { return Optional<JSON>.none }
        return candidate
    }

    static func mismatch(_ step: ScriptStep, _ value: JSON, _ schema: JSON) -> String {
        var candidate = value
        var problem: String?
        if case .string(let text) = value {
            do {
                candidate = try JSON(parsing: text)
            } catch {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                problem = trimmed.hasPrefix("{") || trimmed.hasPrefix("[")
                    ? "the JSON is incomplete (\(error)); raise max_tokens if the reply was cut short"
                    : "it is not JSON"
            }
        }
        let reason = problem ?? SchemaCheck.problem(with: candidate, schema: schema) ?? "it does not match"
        return ScriptError.schemaMismatch(step: step.name, problem: reason, output: value.templateText).description
    }

    /// " Use the keys: a, b." for an object schema, so a small model knows what to fill in.
    static func keysHint(_ schema: JSON) -> String {
        guard let keys = schema["properties"]?.objectValue?.keys, !keys.isEmpty else { return " Reply with JSON only." }
        return " Reply with one JSON object with the keys: " + keys.joined(separator: ", ") + "."
    }

    // MARK: The four actions

    func runPrompt(_ prompt: PromptAction, step: ScriptStep, scope: [String: JSON], parentID: String,
                   path: [String], bound: Budget) async -> ActionOutcome {
        let system: String?
        let user: String
        do {
            system = try prompt.system?.render(in: scope)
            user = try prompt.prompt.render(in: scope)
        } catch {
            return ActionOutcome(result: .invalid(error))
        }
        var instructions = system
        if let schema = step.schema {
            instructions = ((system.map { $0 + "\n\n" } ?? "") + Self.keysHint(schema).dropFirst())
        }
        return await modelCall(system: instructions, user: user, model: prompt.model, name: step.name,
                               maxTokens: prompt.maxTokens, temperature: prompt.temperature, stop: prompt.stop,
                               constraint: step.schema, parentID: parentID, path: path, bound: bound)
    }

    func runAgent(_ profile: AgentProfile, task: ScriptTemplate, scope: [String: JSON], parentID: String,
                  path: [String], bound: Budget) async -> ActionOutcome {
        let text: String
        do {
            text = try task.render(in: scope)
        } catch {
            return ActionOutcome(result: .invalid(error))
        }
        // The agent hangs under the step's call and runs within what the step and the script have left.
        let link = AgentRunner.ParentLink(callID: parentID, depth: 0, bound: bound)
        let result = await runner.agents.run(profile: profile, task: text, runID: runID, parent: link,
                                             events: agentSink(path))
        switch result.stop {
        case .answered:
            return ActionOutcome(result: .success(.string(result.answer ?? "")), usage: result.usage)
        case .budget(let exhaustion):
            return ActionOutcome(result: .budget(exhaustion, nil), usage: result.usage)
        case .cancelled:
            return ActionOutcome(result: .cancelled, usage: result.usage)
        case .failed(let reason):
            return ActionOutcome(result: .failure("agent '\(profile.name)' failed: \(reason)"), usage: result.usage)
        }
    }

    func runTool(_ name: String, arguments: TemplateValue, step: ScriptStep, scope: [String: JSON],
                 parentID: String, path: [String], bound: Budget) async -> ActionOutcome {
        let object: JSONObject
        let tool: any Tool
        do {
            guard case .object(let evaluated) = try arguments.evaluate(in: scope) else {
                return ActionOutcome(result: .failure("the arguments of \(name) are not a mapping"))
            }
            object = evaluated
            let built = try runner.agents.tools(for: AgentProfile(name: step.name, systemPrompt: "", tools: [name]))
            guard let first = built.first else { return ActionOutcome(result: .failure("no tool named \(name)")) }
            tool = first
        } catch let error as ScriptError {
            return ActionOutcome(result: .invalid(error))
        } catch {
            return ActionOutcome(result: .failure("\(error)"))
        }
        let id = UUID().uuidString
        let events = agentSink(path)
        events.emit(.toolStarted(ToolCallInfo(callID: id, parentID: parentID, runID: runID, agent: step.name,
                                              tool: name, arguments: object)))
        let started = Date()
        let clock = ContinuousClock.now
        let context = ToolContext(workspace: environment.workspace, runID: runID, callID: id, agent: step.name,
                                  depth: 0, remaining: bound, confirm: environment.confirm, events: events)
        var result: ToolResult
        var status = ActionResult.success(.null)
        do {
            let call = ToolArguments(tool: name, object: object)
            if let finished = try await withDeadline(bound.maxSeconds, { try await tool.run(call, context: context) }) {
                result = finished
            } else {
                let exhaustion = BudgetExhaustion(kind: .time, used: BudgetWindow.seconds(since: clock),
                                                  limit: bound.maxSeconds ?? 0)
                status = .budget(exhaustion, nil)
                result = ToolResult(output: "stopped: \(exhaustion)", isError: true)
            }
        } catch {
            if Task.isCancelled || error is CancellationError { status = .cancelled }
            result = .failure(error)
        }
        if Task.isCancelled { status = .cancelled }
        if case .success = status { status = result.isError ? .failure("\(name): \(result.output)") : .success(.string(result.output)) }
        var details = result.details.mapValues(\.ledgerValue)
        details["arguments"] = .string(String(JSON.object(object).text.prefix(300)))
        let outcome: CallRecord.Outcome
        switch status {
        case .cancelled: outcome = .cancelled
        case .budget: outcome = .budget
        default: outcome = result.isError ? .error : .ok
        }
        let record = CallRecord(
            id: id, parentID: parentID, runID: runID, sessionID: environment.sessionID, kind: .tool, agent: step.name,
            tool: name, startedAt: started, endedAt: Date(), outcome: outcome,
            errorText: result.isError ? String(result.output.prefix(500)) : nil, details: details)
        await runner.agents.write(record, events: events)
        events.emit(.toolFinished(record, result: result))
        return ActionOutcome(result: status, usage: Usage(toolCalls: 1) + result.usage)
    }

    func runScript(_ sub: Script, vars: [String: TemplateValue], scope: [String: JSON], parentID: String,
                   path: [String], bound: Budget) async -> ActionOutcome {
        let inputs: [String: JSON]
        do {
            var given: [String: JSON] = [:]
            for (name, value) in vars { given[name] = try value.evaluate(in: scope) }
            inputs = try ScriptInputs.resolve(sub, given: given)
        } catch {
            return ActionOutcome(result: .invalid(error))
        }
        var execution = ScriptExecution(runner: runner, script: sub, runID: runID, parentID: parentID, path: path,
                                        bound: bound, scope: inputs, events: events)
        let result = await execution.run()
        switch result.status {
        case .ok: return ActionOutcome(result: .success(result.output ?? .null), usage: result.usage)
        case .failed:
            return ActionOutcome(result: .failure(result.error?.description ?? "\(sub.file) failed"), usage: result.usage)
        case .budget: return ActionOutcome(result: .budget(nil, result.error), usage: result.usage)
        case .cancelled: return ActionOutcome(result: .cancelled, usage: result.usage)
        }
    }
}
