// `tokenworks chat` (the default command): the full-screen workbench on a terminal, the line-mode chat with
// --plain or when stdin/stdout is not a terminal. Sessions are saved as they go and `--resume` reopens one.
import ArgumentParser
import Foundation
import Inference
import TUI

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a model interactively.",
        discussion: """
            On a terminal this is the full-screen workbench: transcript, editor, call tree, cost and latency \
            panes. /help lists the commands (/model, /system, /agent, /spec, /theme, /budget, /clear, /save). \
            Each session is saved in ~/.local/share/tokenworks/sessions as it goes; `--resume` reopens the \
            latest one, `--resume ID` a given one. With --plain, or when input or output is not a terminal, \
            the chat runs line by line instead.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var generation: GenerationOptions
    @Option(name: .long, help: "System prompt.")
    var system: String?
    @Flag(name: .long, help: "Plain line-mode chat (no full-screen interface).")
    var plain = false
    @Flag(name: .long, help: "Reopen a saved session (the latest one unless SESSION is given).")
    var resume = false
    @Argument(help: ArgumentHelp("The session to reopen with --resume (its id, or the start of it).",
                                 valueName: "SESSION"))
    var sessionID: String?
    @Option(name: .long, help: ArgumentHelp("Answer with this agent profile's loop (tools, sub-agents) instead of "
                                            + "the bare model.", valueName: "PROFILE"))
    var agent: String?
    @Option(name: .long, help: ArgumentHelp("Speculative decoding: off, lookup or self.", valueName: "MODE"))
    var spec: String?
    @Option(name: .long, help: ArgumentHelp("Session budget: dollars ($0.50) or tokens (20k).", valueName: "LIMIT"))
    var budget: String?
    @Option(name: .long, help: "Theme (a file name in themes/ without .yaml).")
    var theme: String?
    /// The chat runtime driven by stdin lines, without a terminal (the soak and durability scripts use it).
    @Flag(name: .long, help: .hidden)
    var headless = false

    func validate() throws {
        if sessionID != nil && !resume {
            throw ValidationError("a session id is only taken with --resume: tokenworks chat --resume \(sessionID ?? "")")
        }
        if let spec { _ = try Self.speculationMode(spec) }
        if let budget { _ = try SessionBudget(parsing: budget) }
    }

    /// A --spec value in the form `/spec` uses (`none` is `off`).
    static func speculationMode(_ text: String) throws -> String {
        let mode = text.lowercased()
        if let alias = SlashCommand.speculationAliases[mode] { return alias }
        guard ["off", "lookup", "self"].contains(mode) else {
            throw ValidationError("--spec \(text): expected off (none), lookup or self")
        }
        return mode
    }

    func run() async throws {
        let parameters = try generation.parameters()
        let terminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["TERM"].map { !$0.isEmpty && $0 != "dumb" } ?? false
        if (plain || !terminal) && !headless {
            if resume { FileHandle.standardError.write(Data("tokenworks: --resume needs the full-screen chat; starting a new line-mode chat\n".utf8)) }
            let model = try ChatModel.open(modelOptions.modelPath, options: modelOptions.engineOptions(),
                                           config: ChatRuntime.agentsConfig)
            try await LineChat(model: model, parameters: parameters, system: system).run()
            return
        }

        let store = SessionStore.standard()
        var session: SessionFile
        if resume {
            if let sessionID { session = try store.load(id: sessionID) } else { session = try store.latest() }
            if let model = modelOptions.model { session.settings.modelPath = model }
            if let system { session.settings.systemPrompt = system }
        } else {
            session = SessionFile(settings: ChatSettings(modelPath: modelOptions.modelPath, systemPrompt: system))
        }
        if let agent { session.settings.agent = ["chat", "none", "off"].contains(agent) ? nil : agent }
        if let spec { session.settings.speculation = try Self.speculationMode(spec) }
        if let budget { session.settings.budget = budget }
        if let theme { session.settings.theme = theme }

        let model = try ChatModel.open(session.settings.modelPath, options: modelOptions.engineOptions(),
                                       config: ChatRuntime.agentsConfig)
        let runtimeConfiguration = ChatRuntime.Configuration(parameters: parameters,
                                                             engineOptions: modelOptions.engineOptions())
        if headless {
            let saved = try await HeadlessChat(model: model, session: session, resumed: resume,
                                               configuration: runtimeConfiguration, store: store).run()
            print("# session \(saved.id) saved")
            return
        }
        let app = ChatApp(model: model, session: session, resumed: resume, configuration: runtimeConfiguration,
                          store: store)
        let saved = try await app.run()
        print("session \(saved.id) saved — resume it with: tokenworks chat --resume \(saved.id)")
    }
}
