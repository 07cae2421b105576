// Runs the evaluation tasks: each in a fresh temporary workspace, with or without constrained tool calls,
// and reports success, steps, tokens, cost and time per task and overall.
import Foundation
import Ledger

/// The result of one task.
public struct EvalOutcome: Sendable, Encodable {
    public var id: String
    public var category: String
    public var success: Bool
    public var answer: String?
    public var stop: String
    public var steps: Int
    public var toolCalls: Int
    public var toolsCalled: [String]
    /// Prompt plus generated tokens over all model calls (sub-agents included).
    public var tokens: Int
    public var localCost: Double
    public var cloudCost: Double
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case id, category, success, answer, stop, steps, tokens, seconds
        case toolCalls = "tool_calls", toolsCalled = "tools_called", localCost = "local_cost_usd"
        case cloudCost = "cloud_cost_usd"
    }
}

/// Totals over a set of outcomes.
public struct EvalSummary: Sendable, Encodable {
    public var constrained: Bool
    public var outcomes: [EvalOutcome]

    public var successes: Int { outcomes.filter(\.success).count }
    public var successRate: Double { outcomes.isEmpty ? 0 : Double(successes) / Double(outcomes.count) }
    public var meanSteps: Double { mean(outcomes.map { Double($0.steps) }) }
    public var meanTokens: Double { mean(outcomes.map { Double($0.tokens) }) }
    public var totalLocalCost: Double { outcomes.reduce(0) { $0 + $1.localCost } }
    public var totalCloudCost: Double { outcomes.reduce(0) { $0 + $1.cloudCost } }
    public var totalSeconds: Double { outcomes.reduce(0) { $0 + $1.seconds } }

    private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    enum CodingKeys: String, CodingKey {
        case constrained, outcomes, successes, successRate = "success_rate", meanSteps = "mean_steps"
        case meanTokens = "mean_tokens", totalLocalCost = "total_local_cost_usd"
        case totalCloudCost = "total_cloud_cost_usd", totalSeconds = "total_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(constrained, forKey: .constrained)
        try c.encode(outcomes, forKey: .outcomes)
        try c.encode(successes, forKey: .successes)
        try c.encode(successRate, forKey: .successRate)
        try c.encode(meanSteps, forKey: .meanSteps)
        try c.encode(meanTokens, forKey: .meanTokens)
        try c.encode(totalLocalCost, forKey: .totalLocalCost)
        try c.encode(totalCloudCost, forKey: .totalCloudCost)
        try c.encode(totalSeconds, forKey: .totalSeconds)
    }

    /// A fixed-width table: one row per task, then the totals.
    public func table() -> String {
        var lines = ["constrained tool calls: \(constrained ? "on" : "off")",
                     pad("task", 26) + pad("ok", 4) + pad("steps", 7) + pad("tools", 7) + pad("tokens", 8)
                        + pad("local $", 12) + pad("cloud $", 12) + pad("s", 7) + "answer"]
        for o in outcomes {
            let answer = (o.answer ?? "(\(o.stop))").replacingOccurrences(of: "\n", with: " ")
            lines.append(pad(o.id, 26) + pad(o.success ? "yes" : "no", 4) + pad("\(o.steps)", 7)
                         + pad("\(o.toolCalls)", 7) + pad("\(o.tokens)", 8) + pad(String(format: "%.7f", o.localCost), 12)
                         + pad(String(format: "%.6f", o.cloudCost), 12) + pad(String(format: "%.1f", o.seconds), 7)
                         + String(answer.prefix(60)))
        }
        lines.append(String(format: "success %d/%d (%.0f%%), mean steps %.2f, mean tokens %.0f, local $%.6f, cloud-equivalent $%.5f, %.1f s",
                            successes, outcomes.count, successRate * 100, meanSteps, meanTokens, totalLocalCost,
                            totalCloudCost, totalSeconds))
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// Runs evaluation tasks against agent profiles.
public struct AgentEval: Sendable {
    public var profiles: ProfileLibrary
    public var backends: BackendProvider
    public var prices: PriceSheet?
    public var ledger: LedgerStore?

    public init(profiles: ProfileLibrary, backends: @escaping BackendProvider, prices: PriceSheet? = nil,
                ledger: LedgerStore? = nil) {
        self.profiles = profiles
        self.backends = backends
        self.prices = prices
        self.ledger = ledger
    }

    /// Runs every task in order; `progress` sees each outcome as it is known.
    public func run(_ tasks: [EvalTask], constrained: Bool,
                    progress: @Sendable (EvalOutcome) -> Void = { _ in }) async throws -> EvalSummary {
        var outcomes: [EvalOutcome] = []
        for task in tasks {
            try Task.checkCancellation()
            let outcome = try await run(task, constrained: constrained)
            progress(outcome)
            outcomes.append(outcome)
        }
        return EvalSummary(constrained: constrained, outcomes: outcomes)
    }

    /// Runs one task in a fresh temporary workspace (removed afterwards).
    public func run(_ task: EvalTask, constrained: Bool) async throws -> EvalOutcome {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tokenworks-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in task.files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        var profile = try profiles.profile(named: task.profile)
        if let tools = task.tools { profile.tools = tools }
        profile.constrained = constrained
        let environment = AgentEnvironment(workspace: try Workspace(root: root.path), profiles: profiles,
                                           backends: constrainedBackends(constrained), ledger: ledger, prices: prices)
        let runner = AgentRunner(environment: environment)
        var tree = CallTree()
        var toolsCalled: [String] = []
        var final: AgentRunResult?
        let started = Date()
        for await event in runner.events(profile: profile, task: task.prompt) {
            tree.apply(event)
            if case .toolStarted(let info) = event { toolsCalled.append(info.tool) }
            if case .runFinished(let result) = event, result.info.parentCallID == nil { final = result }
        }
        let answer = final?.answer
        let success = answer.map { task.expect.accepts($0, toolsCalled: Set(toolsCalled)) } ?? false
        let usage = final?.usage ?? .zero
        return EvalOutcome(id: task.id, category: task.category, success: success, answer: answer,
                           stop: final?.stop.description ?? "no result", steps: usage.steps, toolCalls: usage.toolCalls,
                           toolsCalled: toolsCalled, tokens: usage.totalTokens, localCost: tree.totals.localCost.dollars,
                           cloudCost: tree.totals.cloudCost.dollars, seconds: Date().timeIntervalSince(started))
    }

    /// Sub-agent profiles follow the same constrained setting as the task's agent.
    private func constrainedBackends(_ constrained: Bool) -> BackendProvider { backends }
}
