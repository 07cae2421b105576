// Helpers for runner tests: an environment over a temporary workspace with scripted backends per profile,
// and a recorder collecting the event stream.
import Agents
import Foundation
import TestSupport
import Ledger

/// Collects events (thread-safe) so tests can assert on their order and content.
final class EventRecorder: Sendable {
    private let storage = Locked<[AgentEvent]>([])

    var sink: EventSink { EventSink { event in self.storage.mutate { $0.append(event) } } }
    var events: [AgentEvent] { storage.value }

    /// A short name per event, for asserting on order.
    var names: [String] {
        events.map { event in
            switch event {
            case .runStarted(let i): return "run:\(i.agent)"
            case .modelCallStarted: return "model"
            case .token: return "token"
            case .modelCallFinished: return "model-done"
            case .toolStarted(let i): return "tool:\(i.tool)"
            case .toolFinished: return "tool-done"
            case .budgetWarning(_, let e): return "warn:\(e.kind.rawValue)"
            case .budgetExhausted(_, let e): return "budget:\(e.kind.rawValue)"
            case .runFinished(let r): return "done:\(r.info.agent)"
            case .notice: return "notice"
            }
        }
    }
}


/// A tool that always fails, to check that failures reach the model and the loop goes on.
struct FailingTool: Tool {
    var name: String { "flaky" }
    var summary: String { "Always fails." }
    var parameters: JSON { .objectSchema([], required: []) }
    func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        throw AgentsError.ioFailed(path: "disk", operation: "spin up", reason: "the disk is on fire")
    }
}

/// A profile built in code.
func testProfile(_ name: String = "main", tools: [String] = ["read_file", "calculator"],
                 budget: Budget = Budget(maxSteps: 10)) -> AgentProfile {
    AgentProfile(name: name, summary: "test agent \(name)", systemPrompt: "You are a test agent.", tools: tools,
                 budget: budget)
}

/// An environment over `dir` whose profiles are answered by the scripted backends in `backends` (by name).
func scriptedEnvironment(_ dir: TemporaryDirectory, backends: [String: ScriptedBackend],
                         profiles: ProfileLibrary? = nil, ledger: LedgerStore? = nil, prices: PriceSheet? = nil,
                         customTools: [any Tool] = []) throws -> AgentEnvironment {
    let library = profiles ?? ProfileLibrary(directories: [dir.url.appendingPathComponent(".agents")], promptDirectories: [])
    return AgentEnvironment(
        workspace: try dir.workspace(), profiles: library,
        backends: { profile in
            guard let backend = backends[profile.name] else {
                throw AgentsError.backendFailed(model: profile.name, reason: "no scripted backend")
            }
            return backend
        },
        ledger: ledger, prices: prices, customTools: customTools, jsonInstructions: ToolCallFormat.defaultJSONInstructions)
}

/// A price sheet where the local machine is very expensive (so cost budgets bite on tiny runs).
func expensivePrices() -> PriceSheet {
    PriceSheet(date: "2025-07-01", machineDollarsPerHour: 3600, defaultComparisonModel: "cloud",
               models: [.init(name: "cloud", input: 1, cachedInput: 0.5, output: 2)])
}
