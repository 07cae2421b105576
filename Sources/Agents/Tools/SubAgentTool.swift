// ask_PROFILE and delegate: a model calling another agent — its own model, prompt, tools and budget —
// and getting its answer back as a tool result. Depth-limited; bounded by what the caller has left.

/// Starts a sub-agent and returns its answer.
public struct SubAgentTool: Tool {
    /// Independent of other calls in the same reply (read-only, or its own sub-agent run).
    public var runsConcurrently: Bool { true }
    let runner: AgentRunner
    /// The profile `ask_NAME` runs; nil for `delegate`, which takes the profile as an argument.
    let profileName: String?
    let summaryText: String
    /// Profiles `delegate` may choose from.
    let available: [String]

    public var name: String { profileName.map { "ask_\($0)" } ?? "delegate" }

    public var summary: String {
        if let profileName {
            let what = summaryText.isEmpty ? "the \(profileName) agent" : summaryText
            return "Ask a helper agent to do a task and get its answer. The helper: \(what)"
        }
        return "Hand a task to another agent and get its answer. Agents: " + available.joined(separator: ", ")
    }

    public var parameters: JSON {
        let task: (String, JSON) = ("task", .property("string", "The task, with everything the helper needs to know"))
        if profileName != nil { return .objectSchema([task], required: ["task"]) }
        let agent: (String, JSON) = ("agent", ["type": "string", "enum": .array(available.map { .string($0) })])
        return .objectSchema([agent, task], required: ["agent", "task"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let target = try profileName ?? arguments.string("agent")
        let task = try arguments.string("task")
        guard context.remaining.allowsDelegation else {
            throw AgentsError.delegationRefused(profile: target, reason: "the depth budget allows no further sub-agents")
        }
        let profile = try runner.environment.profiles.profile(named: target)
        let parent = AgentRunner.ParentLink(callID: context.callID, depth: context.depth + 1,
                                            bound: context.remaining.forChild())
        let result = await runner.run(profile: profile, task: task, runID: context.runID, parent: parent,
                                      events: context.events)
        if result.stop == .cancelled { throw CancellationError() }
        let output = result.answer ?? "the \(target) agent stopped without an answer: \(result.stop)"
        return ToolResult(output: output, isError: result.answer == nil, usage: result.usage,
                          details: ["agent": .string(target), "stop": .string(result.stop.description)])
    }
}
