// The slash commands the runtime performs: /model, /system, /agent, /run, /spec, /budget, /clear, /save.
// (/theme, /help and /quit never get here: the program handles them.) Each answers with a notice.
import Agents
import Foundation
import Inference
import Ledger
import TUI

extension ChatRuntime {
    func run(_ command: SlashCommand) async {
        switch command {
        case .model(nil):
            report(model.summary)
        case .model(let path?):
            await loadModel(path)
        case .system(nil):
            report("system prompt: " + (session.settings.systemPrompt.map { Self.excerpt($0, 80) } ?? "(none)"))
        case .system(let text?):
            let off = ["none", "off", "-"].contains(text.lowercased())
            updateSettings { $0.systemPrompt = off ? nil : text }
            let shown = off ? "system prompt removed" : "system prompt: " + text
            post(.transcript(.append(TranscriptEntry(role: .system, text: shown))))
            remember(SessionEntry(role: "system", text: shown), epoch: currentEpoch)
            save()
            notice(off ? "system prompt removed" : "system prompt set for the next turns")
        case .agent(let name):
            selectAgent(name)
        case .run(let script):
            startScript(script)
        case .spec(nil):
            notice("speculation: \(session.settings.speculation) (/spec off, lookup or self)")
        case .spec(let mode?):
            if engine == nil && mode != "off" {
                report("speculation runs in the local runtime; the remote model decodes on its server", .warning)
                return
            }
            if mode == "draft" && engine?.options.draftModelPath == nil {
                report("/spec draft needs a draft model, and none is loaded: use lookup or self", .error)
                return
            }
            updateSettings { $0.speculation = mode }
            post(.status(status()))
            notice("speculation \(mode) from the next reply")
        case .budget(nil):
            if let budget {
                let view = budget.view(spent: spent)
                report("budget \(budget.label): \(Format.percent(view.fraction)) used (/budget off removes it)")
            } else {
                notice("no session budget: /budget $0.50 or /budget 20k sets one")
            }
        case .budget(let text?):
            if ["off", "none"].contains(text.lowercased()) {
                updateSettings { $0.budget = nil }
                inbox.post(contentsOf: paneEvents())
                notice("session budget removed")
                return
            }
            do {
                let parsed = try SessionBudget(parsing: text)
                updateSettings { $0.budget = text }
                inbox.post(contentsOf: paneEvents())
                notice("session budget \(parsed.label)")
            } catch {
                report(error.description, .error)
            }
        case .clear:
            clearConversation()
            save()
            inbox.post(contentsOf: [.callTree([]), .status(status())])
        case .save(let path):
            export(to: path)
        case .theme, .help, .quit:
            break
        }
    }

    private func loadModel(_ text: String) async {
        if isBusy {
            report("a reply is running: wait for it or cancel it (Ctrl-C) before /model", .warning)
            return
        }
        let remote: RemoteEndpoint?
        do {
            remote = try Self.agentsConfig.remoteEndpoint(for: text)
            _ = try remote?.apiKey()
        } catch {
            report("\(error)", .error)
            return
        }
        if let remote {
            replaceModel(.remote(remote, reference: text), path: text)
            save()
            await saveSessionRecord()
            inbox.post(contentsOf: [.status(status()), .catalog(catalog(themes: []))])
            report("remote model \(remote.model) at \(remote.baseURL); the conversation continues on it")
            return
        }
        let path = Self.resolveModel(text)
        guard FileManager.default.fileExists(atPath: path) else {
            report("no model file at \(path): give a GGUF path, a file in \(Paths.models.path), "
                   + "MODEL@URL or an endpoint of config.yaml", .error)
            return
        }
        notice("loading \(URL(fileURLWithPath: path).lastPathComponent)…")
        loadingModel = true
        defer {
            loadingModel = false
            startPending()
        }
        let options = configuration.engineOptions
        let (loaded, problem) = await Task.detached { () -> (InferenceEngine?, String?) in
            do { return (try InferenceEngine(path: path, options: options), nil) } catch { return (nil, "\(error)") }
        }.value
        switch loaded {
        case nil:
            report("cannot load \(path): \(problem ?? "unknown error")", .error)
        case let new?:
            replaceModel(.local(new), path: path)
            save()
            await saveSessionRecord()
            inbox.post(contentsOf: [.status(status()), .catalog(catalog(themes: []))])
            report("model \(new.modelName) loaded (context \(new.contextSize)); the conversation continues on it")
        }
    }

    /// A `/model` argument as a file: a path (~ expanded, relative to the working folder) or a name in the
    /// models folder.
    static func resolveModel(_ text: String) -> String {
        let expanded = (text as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: expanded) {
            return URL(fileURLWithPath: expanded).standardizedFileURL.path
        }
        let inModels = Paths.models.appendingPathComponent(expanded).path
        if FileManager.default.fileExists(atPath: inModels) { return inModels }
        return URL(fileURLWithPath: expanded).standardizedFileURL.path
    }

    private func selectAgent(_ name: String) {
        if ["chat", "none", "off"].contains(name.lowercased()) {
            updateSettings { $0.agent = nil }
            post(.status(status()))
            notice("plain chat: messages go straight to the model")
            return
        }
        do {
            let profile = try profileLibrary.profile(named: name)
            updateSettings { $0.agent = profile.name }
            post(.status(status()))
            let tools = profile.tools.isEmpty ? "no tools" : "tools " + profile.tools.joined(separator: ", ")
            report("agent \(profile.name) (\(tools)); /agent chat goes back to plain chat")
        } catch {
            report("\(error)", .error)
        }
    }

    private func export(to path: String?) {
        let target: URL
        if let path {
            target = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        } else {
            target = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent("tokenworks-\(session.id).md")
        }
        let text = TranscriptMarkdown.render(session, records: sessionRecords)
        do {
            try Data(text.utf8).write(to: target, options: .atomic)
            notice("saved \(target.path)")
        } catch {
            report(ChatError.exportFailed(file: target.path, reason: error.localizedDescription).description, .error)
        }
    }
}
