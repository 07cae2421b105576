// `/run SCRIPT [NAME=VALUE …]` in the TUI: runs an agent script as a turn, with its steps, agents, model and
// tool calls growing the call tree live and the cost and latency panes fed by the same events as agent turns.
// The script's output (or why it stopped) goes to the transcript.
import Agents
import Foundation
import Ledger
import TUI

extension ChatRuntime {
    func runScriptTurn(_ argument: String, epoch: Int) async {
        let words = Self.words(argument)
        guard let path = words.first else {
            report("/run needs a script: /run examples/summarize-folder.yaml [NAME=VALUE …]", .error)
            return
        }
        let script: Script
        let inputs: [String: JSON]
        let workspace: Workspace
        do {
            let loader = ScriptLoader(profiles: profileLibrary, modelDirectories: nil)
            script = try loader.load(path: Self.scriptPath(path, workspace: self.workspace))
            let given = try ScriptInputs.parse(variables: Array(words.dropFirst()))
            inputs = try ScriptInputs.resolve(script, given: given.mapValues { .string($0) },
                                              workingDirectory: URL(fileURLWithPath: self.workspace))
            workspace = try Workspace(root: self.workspace)
        } catch {
            post(.transcript(.append(TranscriptEntry(role: .error, text: "\(error)"))))
            remember(SessionEntry(role: "error", text: "\(error)"), epoch: epoch)
            return
        }
        let shown = "/run \(argument)"
        post(.transcript(.append(TranscriptEntry(role: .system, text: shown))))
        remember(SessionEntry(role: "system", text: shown), epoch: epoch)

        let pool = currentPool
        let inbox = self.inbox
        var mcpTools: [any Tool] = []
        for profile in script.agentProfiles {
            let (tools, failures) = await Self.toolbox.tools(for: profile, library: profileLibrary)
            for failure in failures { post(.notice(Notice("\(failure)", level: .warning))) }
            for tool in tools where !mcpTools.contains(where: { $0.name == tool.name }) { mcpTools.append(tool) }
        }
        let environment = AgentEnvironment(
            workspace: workspace, profiles: profileLibrary, backends: { try await pool.backend(for: $0) },
            confirm: { request in
                inbox.post(.notice(Notice("run_shell `\(request.command)` refused: commands outside the profile's "
                                          + "shell allow list cannot be confirmed in the TUI yet", level: .warning)))
                return false
            },
            ledger: ledgerStore, prices: priceSheet, sessionID: session.id, customTools: mcpTools)
        let runner = ScriptRunner(environment: environment)
        let (events, continuation) = AsyncStream<ScriptEvent>.makeStream()
        let run = Task.detached {
            _ = await runner.run(script, inputs: inputs, events: ScriptEventSink { continuation.yield($0) })
            continuation.finish()
        }
        setGenerating(true)
        await withTaskCancellationHandler {
            for await event in events { apply(event, epoch: epoch) }
        } onCancel: {
            run.cancel()
        }
        setGenerating(false)
    }

    /// Folds one script event into the session and the panes.
    private func apply(_ event: ScriptEvent, epoch: Int) {
        switch event {
        case .scriptStarted(let info):
            startCall(id: info.callID, parentID: info.parentID, title: "script \(info.name)",
                      details: [CallDetail("file", info.file), CallDetail("steps", info.steps.joined(separator: ", "))])
            postLive(force: true)
        case .stepStarted(let info):
            startCall(id: info.callID, parentID: info.parentID, title: "step \(info.title) · \(info.kind)")
            postLive(force: true)
        case .stepRetrying(let info, let attempt, let reason):
            report("step \(info.title): retrying (attempt \(attempt)): \(Self.excerpt(reason, 160))", .warning)
        case .stepFinished(let outcome):
            add(outcome.record, epoch: epoch)
        case .agent(let inner, _):
            apply(inner, epoch: epoch)
        case .scriptFinished(let result):
            add(result.record, epoch: epoch)
            guard result.info.parentID == nil else { return }
            let label = "script " + result.info.name
            if result.status == .ok {
                let text = result.outputText ?? ""
                post(.transcript(.append(TranscriptEntry(role: .assistant, text: text, label: label))))
                remember(SessionEntry(role: "assistant", text: text, label: label), epoch: epoch)
            } else {
                let text = "\(label) stopped (\(result.status.rawValue)): " + (result.error?.description ?? "")
                post(.transcript(.append(TranscriptEntry(role: .error, text: text))))
                remember(SessionEntry(role: "error", text: text), epoch: epoch)
            }
        }
    }

    /// The script's path: as given when it exists from the working folder, else inside the session's folder.
    static func scriptPath(_ path: String, workspace: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") || FileManager.default.fileExists(atPath: expanded) { return expanded }
        return URL(fileURLWithPath: workspace).appendingPathComponent(expanded).path
    }

    /// `text` split at spaces, with "…" or '…' keeping spaces inside one word (`goal="two words"`).
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var started = false
        for character in text {
            if let q = quote {
                if character == q { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if character.isWhitespace {
                if started || !current.isEmpty { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
            }
        }
        if started || !current.isEmpty { words.append(current) }
        return words
    }
}
