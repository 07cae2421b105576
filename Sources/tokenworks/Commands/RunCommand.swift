// `tokenworks run SCRIPT`: runs an agent script headless — a live line per step on stderr, the output on
// stdout (or one JSON report with --json), a ledger summary at the end, and an exit code that says how it ended.
import Agents
import ArgumentParser
import Foundation
import Ledger

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an agent script (YAML): model prompts, agents, tools and sub-scripts, step by step.",
        discussion: """
            The script's format and its {{ template }} syntax are described in examples/README.md. Progress goes \
            to stderr (one live line per step on a terminal, plain lines otherwise); the output goes to stdout. \
            Inputs come from --var NAME=VALUE, standard input or files, as the script declares.
            Exit codes: 0 done, 1 a step failed, 2 the script or its inputs are invalid, 3 a budget ran out, \
            130 cancelled.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .customLong("var"), help: ArgumentHelp("Set a script input (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []
    @Flag(name: .long, help: "Print one JSON object: status, output, each step's spend, totals and the call tree.")
    var json = false
    @Flag(name: .customLong("dry-run"),
          help: "Check the script (YAML, names, templates, agents, tools, models, schemas) without running a model.")
    var dryRun = false
    @Argument(help: "The script file.")
    var script: String

    func run() async throws {
        let library = ProfileLibrary.standard()
        let defaultFolder = URL(fileURLWithPath: modelOptions.modelPath).deletingLastPathComponent()
        let loader = ScriptLoader(profiles: library, modelDirectories: [Paths.models, defaultFolder],
                                  config: (try? AgentsConfig.load()) ?? AgentsConfig())
        let loaded: Script
        let given: [String: String]
        do {
            loaded = try loader.load(path: script)
            given = try ScriptInputs.parse(variables: variables)
            for name in given.keys.sorted() where !loaded.inputNames.contains(name) {
                throw ScriptError.unknownVariable(name: name, file: loaded.file, declared: loaded.inputNames)
            }
        } catch {
            printError(error)
            throw ExitCode(ScriptResult.invalidScriptExitCode)
        }
        if dryRun {
            print(json ? Self.dryRunJSON(loaded) : Self.dryRunText(loaded))
            return
        }
        let inputs: [String: JSON]
        do {
            inputs = try ScriptInputs.resolve(loaded, given: given.mapValues { .string($0) },
                                              standardInput: Self.pipedStandardInput)
        } catch {
            printError(error)
            throw ExitCode(ScriptResult.invalidScriptExitCode)
        }
        if loaded.usesDefaultModel, !FileManager.default.fileExists(atPath: modelOptions.modelPath),
           (try? loader.config.remoteEndpoint(for: modelOptions.modelPath)) == nil {
            printError(CLIError.modelNotFound(modelOptions.modelPath))
            throw ExitCode(ScriptResult.invalidScriptExitCode)
        }

        let setup = try await AgentSetup(modelOptions: modelOptions, library: library,
                                         profiles: loaded.agentProfiles)
        let runner = ScriptRunner(environment: setup.environment)
        let runID = UUID().uuidString
        let started = Date()
        var display = RunProgressDisplay(terminal: isatty(STDERR_FILENO) == 1)
        var records: [CallRecord] = []
        var final: ScriptResult?
        // The run is its own task, so Ctrl-C can cancel it and still let it record what it did and say so.
        let (events, continuation) = AsyncStream<ScriptEvent>.makeStream()
        let work = Task {
            _ = await runner.run(loaded, inputs: inputs, runID: runID,
                                 events: ScriptEventSink { continuation.yield($0) })
            continuation.finish()
        }
        let interrupt = Self.onInterrupt { work.cancel() }
        defer { interrupt.cancel() }
        for await input in Self.eventsWithTicks(events, ticking: display.terminal) {
            switch input {
            case .event(let event):
                if let record = event.record { records.append(record) }
                display.show(event)
                if case .scriptFinished(let result) = event, result.info.parentID == nil { final = result }
            case .tick:
                display.tick()
            }
        }
        display.end()
        await setup.shutdown()
        guard let final else { throw CLIError.message("the script ended without a result") }

        // The summary is read back from the ledger, so it shows what was recorded (the events' records otherwise).
        var ledgerRecords = records
        if let ledger = setup.ledger, let stored = try? await ledger.records(matching: LedgerFilter(runID: runID)),
           !stored.isEmpty {
            ledgerRecords = stored
        }
        if json {
            print(ScriptReport(result: final, records: ledgerRecords).json())
        } else if let text = final.outputText {
            // A block scalar's closing newline is not part of what the user reads.
            print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
        if let error = final.error { printError(error) }
        var summary = ScriptReport.summary(of: ledgerRecords, runID: runID, seconds: Date().timeIntervalSince(started))
        if setup.ledger != nil { summary += "\n  details: tokenworks log --run \(runID) --tree" }
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        if final.status != .ok { throw ExitCode(final.status.exitCode) }
    }

    /// Standard input when something is piped in; nil on a terminal (a script's stdin input then says how to
    /// give it instead of waiting for typing).
    @Sendable static func pipedStandardInput() -> String? {
        guard isatty(STDIN_FILENO) != 1 else { return nil }
        return readStandardInput()
    }

    /// Calls `cancel` on the first Ctrl-C; a second one ends the program at once.
    static func onInterrupt(_ cancel: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            signal(SIGINT, SIG_DFL)
            FileHandle.standardError.write(Data("\ncancelling… (Ctrl-C again to quit at once)\n".utf8))
            cancel()
        }
        source.resume()
        return source
    }

    enum Input: Sendable {
        case event(ScriptEvent)
        case tick
    }

    /// The run's events, with a tick every fifth of a second on a terminal so a step's time keeps moving while
    /// a long prompt is read.
    static func eventsWithTicks(_ events: AsyncStream<ScriptEvent>, ticking: Bool) -> AsyncStream<Input> {
        AsyncStream { continuation in
            let ticker = Task {
                while ticking, !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: 200_000_000)
                    continuation.yield(.tick)
                }
            }
            let forward = Task {
                for await event in events { continuation.yield(.event(event)) }
                ticker.cancel()
                continuation.finish()
            }
            continuation.onTermination = { _ in
                forward.cancel()
                ticker.cancel()
            }
        }
    }

    // MARK: Dry run

    static func dryRunText(_ script: Script) -> String {
        var lines = ["\(script.file): valid — \(script.steps.count) step\(script.steps.count == 1 ? "" : "s")"]
        for (index, step) in script.steps.enumerated() {
            var line = "  \(index + 1). \(step.name) (\(step.action.kind)"
            if step.forEach != nil { line += ", for each" + (step.parallel > 1 ? " ×\(step.parallel)" : "") }
            if step.when != nil { line += ", conditional" }
            if step.retry > 0 { line += ", retry \(step.retry)" }
            if step.schema != nil { line += ", schema" }
            lines.append(line + ")")
        }
        if !script.inputs.isEmpty {
            lines.append("  inputs: " + script.inputs.map { input -> String in
                switch input.source {
                case .value(nil): return input.name + " (required)"
                case .value(let value?): return input.name + " = " + String(value.templateText.prefix(30))
                case .stdin: return input.name + " (stdin)"
                case .file(let path): return input.name + " (file \(path))"
                }
            }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func dryRunJSON(_ script: Script) -> String {
        var steps: [JSON] = []
        for step in script.steps {
            steps.append(["name": .string(step.name), "kind": .string(step.action.kind),
                          "for_each": .bool(step.forEach != nil), "retry": .number(Double(step.retry)),
                          "schema": step.schema ?? .null])
        }
        let report: JSON = ["valid": true, "script": .string(script.file), "name": .string(script.name),
                            "inputs": .array(script.inputNames.map { .string($0) }), "steps": .array(steps)]
        return report.text
    }
}
