// Runs agent scripts on top of the agent loop: steps in order, each a model prompt, an agent run, a tool call
// or a sub-script, under the script's and the steps' budgets. Every call lands in the ledger as a tree:
// script → step → (item →) agent/model/tool calls.
import Foundation
import Ledger

/// Runs scripts in an environment (workspace, models, ledger, prices), emitting `ScriptEvent`s.
public struct ScriptRunner: Sendable {
    public var environment: AgentEnvironment

    public init(environment: AgentEnvironment) { self.environment = environment }

    /// The agent runner the steps' agents and tools run under (same environment).
    var agents: AgentRunner { AgentRunner(environment: environment) }

    /// Runs `script` with its inputs already resolved (see `ScriptInputs.resolve`). Never throws: a failed
    /// step, a spent budget or cancellation is the result's status, with the reason.
    public func run(_ script: Script, inputs: [String: JSON], runID: String = UUID().uuidString,
                    events: ScriptEventSink = .discard) async -> ScriptResult {
        var execution = ScriptExecution(runner: self, script: script, runID: runID, parentID: nil, path: [],
                                        bound: .unlimited, scope: inputs, events: events)
        return await execution.run()
    }

    /// The run as a stream that ends after the top script's `.scriptFinished`; stopping the iteration (or
    /// cancelling the consuming task) cancels the run.
    public func events(_ script: Script, inputs: [String: JSON],
                       runID: String = UUID().uuidString) -> AsyncStream<ScriptEvent> {
        AsyncStream { continuation in
            let work = Task {
                _ = await self.run(script, inputs: inputs, runID: runID,
                                   events: ScriptEventSink { continuation.yield($0) })
                continuation.finish()
            }
            continuation.onTermination = { _ in work.cancel() }
        }
    }
}
