// An agent turn (after `/agent NAME`): the message becomes the task of an agent run in the current folder;
// its model calls, tool calls and sub-agents grow the call tree live, tool results and the answer go to the
// transcript, and the runner writes every call to the ledger. Ctrl-C cancels the run, tool in flight included.
import Agents
import Foundation
import Ledger
import TUI

extension ChatRuntime {
    func runAgentTurn(_ text: String, profileName: String, epoch: Int) async {
        var profile: AgentProfile
        let workspace: Workspace
        do {
            profile = try profileLibrary.profile(named: profileName)
            workspace = try Workspace(root: self.workspace)
        } catch {
            post(.transcript(.append(TranscriptEntry(role: .error, text: "\(error)"))))
            remember(SessionEntry(role: "error", text: "\(error)"), epoch: epoch)
            return
        }
        if let budget { profile.budget = profile.budget.bounded(by: budget.remaining(spent: spent)) }
        let pool = currentPool
        let inbox = self.inbox
        let (mcpTools, mcpFailures) = await Self.toolbox.tools(for: profile, library: profileLibrary)
        for failure in mcpFailures { post(.notice(Notice("\(failure)", level: .warning))) }
        let environment = AgentEnvironment(
            workspace: workspace, profiles: profileLibrary, backends: { try await pool.backend(for: $0) },
            confirm: { request in
                inbox.post(.notice(Notice("run_shell `\(request.command)` refused: commands outside the profile's "
                                          + "shell allow list cannot be confirmed in the TUI yet", level: .warning)))
                return false
            },
            ledger: ledgerStore, prices: priceSheet, sessionID: session.id, customTools: mcpTools)
        let runner = AgentRunner(environment: environment)
        let (events, continuation) = AsyncStream<AgentEvent>.makeStream()
        let runID = UUID().uuidString
        let bounded = profile
        let run = Task.detached {
            _ = await runner.run(profile: bounded, task: text, runID: runID, events: EventSink { continuation.yield($0) })
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

    /// Folds one agent event into the session and the panes (agent turns and the steps of `/run`).
    func apply(_ event: AgentEvent, epoch: Int) {
        switch event {
        case .runStarted(let info):
            startCall(id: info.callID, parentID: info.parentCallID,
                      title: "agent \(info.agent): " + Self.excerpt(info.task, 40),
                      details: [CallDetail("model", info.model), CallDetail("depth", "\(info.depth)")])
            postLive(force: true)
        case .modelCallStarted(let info):
            startCall(id: info.callID, parentID: info.parentID, title: "step \(info.step) · \(info.model)")
            postLive(force: true)
        case .token(let callID, _):
            addTokens(1, to: callID)
            postLive()
        case .modelCallFinished(let record, let reply):
            // What the model said (a tool call, an answer, or something the loop could not read).
            let said = reply.replacingOccurrences(of: "\n", with: " ")
            add(record, extra: [CallDetail("reply", String(said.prefix(300)))], epoch: epoch)
            setContextUsed(record.tokens.prompt + record.tokens.generated)
        case .toolStarted(let info):
            startCall(id: info.callID, parentID: info.parentID,
                      title: info.tool + " " + Self.excerpt(JSON.object(info.arguments).text, 40))
            postLive(force: true)
        case .toolFinished(let record, let result):
            add(record, epoch: epoch)
            let shown = Self.excerpt(result.output, lines: 8, characters: 600)
            let tool = record.tool ?? "tool"
            post(.transcript(.append(TranscriptEntry(role: .tool, text: shown, label: tool))))
            remember(SessionEntry(role: "tool", text: shown, label: tool), epoch: epoch)
        case .budgetWarning(_, let exhaustion):
            report("budget warning: \(exhaustion)", .warning)
        case .budgetExhausted(_, let exhaustion):
            report("\(exhaustion)", .error)
        case .runFinished(let result):
            add(result.record, epoch: epoch)
            guard result.info.parentCallID == nil else { return }
            if let answer = result.answer {
                let label = "agent " + result.info.agent
                post(.transcript(.append(TranscriptEntry(role: .assistant, text: answer, label: label))))
                remember(SessionEntry(role: "assistant", text: answer, label: label), epoch: epoch)
            } else {
                let text = "agent \(result.info.agent) stopped: \(result.stop)"
                post(.transcript(.append(TranscriptEntry(role: .error, text: text))))
                remember(SessionEntry(role: "error", text: text), epoch: epoch)
            }
        case .notice(let text):
            report(text, .warning)
        }
    }

    /// At most `lines` lines and `characters` characters of `text`, marked when cut.
    static func excerpt(_ text: String, lines: Int, characters: Int) -> String {
        var kept = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lines).joined(separator: "\n")
        var cut = kept.count < text.count
        if kept.count > characters {
            kept = String(kept.prefix(characters))
            cut = true
        }
        return cut ? kept + " …" : kept
    }
}
