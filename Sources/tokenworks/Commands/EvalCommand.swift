// `tokenworks eval`: runs the agent evaluation tasks and reports success, steps, tokens and cost per task,
// with constrained tool calls, without, or both.
import Agents
import ArgumentParser
import Foundation
import Ledger

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run agent evaluation tasks (bench/agent-eval/tasks.yaml) and report how the agents did.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case on, off, both
    }

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The task file.")
    var tasks: String = "bench/agent-eval/tasks.yaml"
    @Option(name: .long, help: "Constrained (grammar) tool calls: on, off or both.")
    var constrained: Mode = .both
    @Option(name: .long, parsing: .upToNextOption, help: "Run only these task ids.")
    var only: [String] = []
    @Flag(name: .long, help: "Print JSON instead of tables.")
    var json = false
    @Flag(name: .long, help: "Also write every call to the ledger.")
    var record = false

    func run() async throws {
        var list = try EvalTask.load(from: URL(fileURLWithPath: tasks))
        if !only.isEmpty { list = list.filter { only.contains($0.id) } }
        guard !list.isEmpty else { throw CLIError.message("no tasks to run in \(tasks)") }
        let pool = EnginePool(defaultModel: modelOptions.modelPath, searchDirectories: [Paths.models],
                              options: modelOptions.engineOptions())
        let eval = AgentEval(profiles: .standard(), backends: { try await pool.backend(for: $0) },
                             prices: try? PriceSheet.loadDefault(), ledger: record ? try LedgerStore() : nil)
        var summaries: [EvalSummary] = []
        let modes: [Bool] = constrained == .both ? [true, false] : [constrained == .on]
        for mode in modes {
            let summary = try await eval.run(list, constrained: mode) { outcome in
                FileHandle.standardError.write(Data(
                    "\(outcome.success ? "✓" : "✗") \(outcome.id) (\(outcome.steps) steps, \(outcome.tokens) tokens)\n".utf8))
            }
            summaries.append(summary)
            if !json { print(summary.table() + "\n") }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summaries), as: UTF8.self))
        }
    }
}
