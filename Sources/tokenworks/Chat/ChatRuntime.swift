// The runtime behind the chat TUI: receives the UI's effects in order, runs turns (plain chat or an agent
// loop) on the model, records every call in the ledger, saves the session as it goes, and feeds the panes
// through the program's inbox. One actor, so turns, commands and cancellation never race.
import Agents
import Foundation
import Inference
import Ledger
import TUI

/// Everything a chat session needs besides the terminal.
actor ChatRuntime {
    /// The flags a session started with that are not session settings.
    struct Configuration: Sendable {
        /// Sampling and length of plain chat turns (speculation comes from the settings).
        var parameters: GenerationParameters
        /// How engines are loaded (`/model` loads with the same options).
        var engineOptions: EngineOptions
    }

    let inbox: EventInbox
    let configuration: Configuration
    /// The chat's own model: a loaded GGUF file, or a remote endpoint.
    private(set) var model: ChatModel
    /// The in-process engine of the chat's model (nil for a remote model).
    var engine: InferenceEngine? { model.engine }
    /// Serves agent turns: the chat's model for profiles without a model of their own.
    private var pool: EnginePool
    private(set) var session: SessionFile
    private let store: SessionStore?
    private let ledger: LedgerStore?
    let prices: PriceSheet?
    private let profiles: ProfileLibrary
    private let workspaceRoot: String

    /// Turns of one plain conversation share this key, so each turn prefills only its new tokens.
    private var cacheKey = UUID().uuidString
    /// The turn in flight, and its number (a turn that ends after /clear or /model must not write back).
    private var turn: Task<Void, Never>?
    private var epoch = 0
    /// Messages sent while a turn was running; they run in order afterwards.
    private var pending: [String] = []
    /// This session's finished calls, oldest first (what the cost and latency panes and the budget add up).
    private var records: [CallRecord] = []
    private var tree = LiveCallTree()
    private var contextUsed = 0
    private var generating = false
    /// True while `/model` loads a file; messages sent meanwhile wait for the new model.
    var loadingModel = false
    private var lastLivePost = 0.0
    private var saveFailureShown = false
    private var pricesWarningShown = false

    init(inbox: EventInbox, configuration: Configuration, model: ChatModel, session: SessionFile,
         store: SessionStore?, ledger: LedgerStore?, prices: PriceSheet?, profiles: ProfileLibrary,
         workspaceRoot: String) {
        self.inbox = inbox
        self.configuration = configuration
        self.model = model
        self.pool = Self.pool(for: model, options: configuration.engineOptions)
        self.session = session
        self.store = store
        self.ledger = ledger
        self.prices = prices
        self.profiles = profiles
        self.workspaceRoot = workspaceRoot
    }

    /// Named remote endpoints and MCP servers (config.yaml); a broken file is reported at the first agent turn.
    static let agentsConfig: AgentsConfig = (try? AgentsConfig.load()) ?? AgentsConfig()
    /// MCP servers, started when an agent first names them and kept for the session.
    static let toolbox = MCPToolbox(servers: agentsConfig.mcpServers)

    // MARK: Start and end

    /// Shows the session: the restored transcript, the ledger's figures for it, status and completions.
    /// - Parameter resumed: true when the session was read back from disk.
    func start(resumed: Bool, themes: [String]) async {
        await saveSessionRecord()
        if let ledger {
            do {
                records = try await ledger.records(matching: LedgerFilter(sessionID: session.id))
            } catch {
                report("ledger: \(error)", .warning)
            }
        }
        for record in records { tree.finish(record) }
        if let last = records.last(where: { $0.kind == .model }) {
            contextUsed = last.tokens.prompt + last.tokens.generated
        }
        var events: [AppEvent] = [.catalog(catalog(themes: themes))]
        events += session.transcript.map { .transcript(.append(Self.entry($0))) }
        events += [.callTree(tree.views())] + paneEvents() + [.status(status())]
        inbox.post(contentsOf: events)
        if resumed { report("resumed session \(session.id) (\(session.conversation.count) messages)") }
        save()
    }

    /// Ends the session: cancels a turn in flight (its call is still recorded, unless a tool ignores the
    /// cancellation for longer than `patience` seconds) and saves.
    func finish(patience: Double = 3) async {
        pending.removeAll()
        if let turn {
            turn.cancel()
            await Self.wait(for: turn, atMost: patience)
        }
        save()
    }

    /// Waits until `task` ends or `seconds` pass, whichever is first.
    static func wait(for task: Task<Void, Never>, atMost seconds: Double) async {
        final class Once: @unchecked Sendable {
            private let lock = NSLock()
            private var continuation: CheckedContinuation<Void, Never>?
            init(_ c: CheckedContinuation<Void, Never>) { continuation = c }
            func resume() {
                lock.lock()
                let c = continuation
                continuation = nil
                lock.unlock()
                c?.resume()
            }
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let once = Once(c)
            Task { await task.value; once.resume() }
            Task { try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)); once.resume() }
        }
    }

    // MARK: Effects

    /// Performs one effect of the UI. Returns at once; turns run in their own task.
    func handle(_ effect: Effect) async {
        switch effect {
        case .submit(let text):
            session.transcript.append(SessionEntry(role: "user", text: text))
            if session.title == "new session" {
                session.title = Self.excerpt(text, 60)
                await saveSessionRecord()
            }
            save()
            if turn != nil || loadingModel {
                pending.append(text)
                notice("queued: sent when the reply in progress ends (Ctrl-C cancels it)")
            } else {
                startTurn(text)
            }
        case .cancelGeneration:
            let dropped = pending.count
            pending.removeAll()
            if let turn {
                turn.cancel()
                if dropped > 0 { notice("cancelled; \(dropped) queued message(s) dropped", .warning) }
            }
        case .command(let command):
            await run(command)
        case .loadTheme(let name):
            session.settings.theme = name
            save()
        case .redraw, .quit:
            break
        }
    }

    /// Starts the first waiting message, if any and nothing runs.
    func startPending() {
        guard turn == nil, !loadingModel, !pending.isEmpty else { return }
        startTurn(pending.removeFirst())
    }

    private func startTurn(_ text: String) {
        turn = Task { await self.runTurn(text) }
    }

    /// Runs `/run SCRIPT` as a turn: messages sent meanwhile wait for it, Ctrl-C cancels it.
    func startScript(_ argument: String) {
        guard turn == nil, !loadingModel else {
            report("a reply is running: wait for it or cancel it (Ctrl-C) before /run", .warning)
            return
        }
        let myEpoch = epoch
        turn = Task {
            await self.runScriptTurn(argument, epoch: myEpoch)
            self.scriptTurnEnded()
        }
    }

    private func scriptTurnEnded() {
        save()
        turn = nil
        startPending()
    }

    private func runTurn(_ text: String) async {
        let myEpoch = epoch
        if let budget = budget, let exhausted = budget.exhaustion(spent: spent) {
            post(.transcript(.append(TranscriptEntry(role: .error, text: exhausted + ": /budget raises it"))))
            session.transcript.append(SessionEntry(role: "error", text: exhausted))
        } else if let agent = session.settings.agent {
            await runAgentTurn(text, profileName: agent, epoch: myEpoch)
        } else {
            await runChatTurn(text, epoch: myEpoch)
        }
        save()
        turn = nil
        if !pending.isEmpty { startTurn(pending.removeFirst()) }
    }

    // MARK: Shared pieces for the turns

    /// The model's file name, as the ledger records it.
    var modelFileName: String { model.recordName }

    /// The engine pool agents use: the chat's engine shared, or (remote chat) GGUF files loaded on demand with
    /// the remote model as the default of profiles that name none.
    static func pool(for model: ChatModel, options: EngineOptions) -> EnginePool {
        switch model {
        case .local(let engine): return EnginePool(engine: engine, config: agentsConfig)
        case .remote(_, let reference):
            return EnginePool(defaultModel: reference, searchDirectories: [Paths.models], options: options,
                              config: agentsConfig)
        }
    }

    var budget: SessionBudget? { session.settings.budget.flatMap { try? SessionBudget(parsing: $0) } }

    /// What this session's model calls have spent.
    var spent: Usage {
        records.filter { $0.kind == .model }.reduce(Usage.zero) { sum, r in
            sum + Usage(steps: 1, tokens: r.tokens, cost: r.localCost, cloudCost: r.cloudCost ?? .zero)
        }
    }

    /// `record` with its prices filled in (local cost alone when the sheet cannot price it).
    func priced(_ record: CallRecord) -> CallRecord {
        guard let prices else { return record }
        do {
            return try prices.priced(record)
        } catch {
            var local = record
            local.localCost = prices.localCost(computeSeconds: record.computeSeconds)
            if !pricesWarningShown {
                pricesWarningShown = true
                report("cloud price not computed: \(error)", .warning)
            }
            return local
        }
    }

    /// Writes a finished call to the ledger; failures become a notice, never a lost turn.
    func write(_ record: CallRecord) async {
        guard let ledger else { return }
        do { try await ledger.record(record) } catch { report("ledger: \(error)", .error) }
    }

    /// A finished call joins the session: tree, cost, latency.
    /// - Parameter epoch: the conversation the call belonged to; after /clear its node is not shown again.
    func add(_ record: CallRecord, title: String? = nil, extra: [CallDetail] = [], epoch: Int? = nil) {
        records.append(record)
        if epoch == nil || epoch == self.epoch { tree.finish(record, title: title, extra: extra) }
        inbox.post(contentsOf: [.callTree(tree.views())] + paneEvents())
    }

    func startCall(id: String, parentID: String?, title: String, details: [CallDetail] = []) {
        tree.start(id: id, parentID: parentID, title: title, details: details)
    }

    func addTokens(_ count: Int, to id: String) {
        tree.addTokens(count, to: id)
    }

    /// Posts the tree and status at most ten times a second while tokens stream (the transcript text itself is
    /// posted per token; the inbox hands it over in one batch per frame).
    func postLive(force: Bool = false) {
        let now = MonotonicClock.now()
        guard force || now - lastLivePost >= 0.1 else { return }
        lastLivePost = now
        inbox.post(contentsOf: [.callTree(tree.views()), .status(status())])
    }

    func setGenerating(_ value: Bool) {
        generating = value
        post(.status(status()))
    }

    func setContextUsed(_ value: Int) { contextUsed = value }

    func paneEvents() -> [AppEvent] {
        let (cost, latency) = CallDisplay.panes(records: records, budget: budget, spent: spent)
        return [.cost(cost), .latency(latency)]
    }

    func status() -> StatusInfo {
        var name = model.displayName
        if case .remote = model { name += " (remote)" }
        if let agent = session.settings.agent { name += " · agent " + agent }
        return StatusInfo(model: name, contextUsed: contextUsed, contextSize: model.contextSize,
                          speculation: engine == nil ? "off" : session.settings.speculation, generating: generating,
                          batch: engine?.activeSequences ?? 0)
    }

    func catalog(themes: [String]) -> SlashCompleter.Catalog {
        var models = Set<String>()
        let folders = [Paths.models] + (engine.map { [URL(fileURLWithPath: $0.path).deletingLastPathComponent()] } ?? [])
        for folder in folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where name.lowercased().hasSuffix(".gguf") {
                models.insert(folder.appendingPathComponent(name).path)
            }
        }
        return SlashCompleter.Catalog(themes: themes, models: models.sorted(), agents: ["chat"] + profiles.names())
    }

    func post(_ event: AppEvent) { inbox.post(event) }

    func notice(_ text: String, _ level: Notice.Level = .info) {
        inbox.post(.notice(Notice(text, level: level)))
    }

    /// A message the user must be able to read in full: the status bar cuts long notices, so a long one is
    /// also written into the transcript (not into the saved session).
    func report(_ text: String, _ level: Notice.Level = .info) {
        notice(text, level)
        guard text.count > 48 else { return }
        post(.transcript(.append(TranscriptEntry(role: level == .error ? .error : .system, text: text))))
    }

    /// Adds a line to the saved transcript (the UI was told separately).
    func remember(_ entry: SessionEntry, epoch: Int) {
        guard epoch == self.epoch else { return }
        session.transcript.append(entry)
    }

    /// Adds a turn to the plain conversation.
    func converse(_ entry: SessionEntry, epoch: Int) {
        guard epoch == self.epoch else { return }
        session.conversation.append(entry)
    }

    func dropLastConversationEntry(epoch: Int) {
        guard epoch == self.epoch, !session.conversation.isEmpty else { return }
        session.conversation.removeLast()
    }

    var currentCacheKey: String { cacheKey }
    var currentPool: EnginePool { pool }
    var profileLibrary: ProfileLibrary { profiles }
    var ledgerStore: LedgerStore? { ledger }
    var priceSheet: PriceSheet? { prices }
    var workspace: String { workspaceRoot }

    /// Creates or updates the ledger's record of this session (title, model), so `tokenworks log` can name it.
    func saveSessionRecord() async {
        guard let ledger else { return }
        do {
            try await ledger.save(SessionRecord(id: session.id, title: session.title, createdAt: session.createdAt,
                                                model: modelFileName))
        } catch {
            report("ledger: \(error)", .warning)
        }
    }

    /// Saves the session; the first failure is shown, later ones are not repeated.
    func save() {
        guard let store else { return }
        session.updatedAt = Date()
        do {
            try store.save(session)
            saveFailureShown = false
        } catch {
            if !saveFailureShown { report(error.description, .error) }
            saveFailureShown = true
        }
    }

    // MARK: Helpers

    static func entry(_ saved: SessionEntry) -> TranscriptEntry {
        TranscriptEntry(role: TranscriptRole(rawValue: saved.role) ?? .system, text: saved.text, label: saved.label)
    }

    /// The first line of `text`, at most `limit` characters.
    static func excerpt(_ text: String, _ limit: Int) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    // MARK: Mutations used by the commands

    func replaceModel(_ new: ChatModel, path: String) {
        let old = model
        model = new
        pool = Self.pool(for: new, options: configuration.engineOptions)
        cacheKey = UUID().uuidString
        epoch += 1
        contextUsed = 0
        session.settings.modelPath = path
        old.shutdown()
    }

    func clearConversation() {
        epoch += 1
        pending.removeAll()
        turn?.cancel()
        session.conversation.removeAll()
        session.transcript.removeAll()
        engine?.dropCaches()
        cacheKey = UUID().uuidString
        tree.removeAll()
        contextUsed = 0
    }

    func updateSettings(_ change: (inout ChatSettings) -> Void) {
        change(&session.settings)
        save()
    }

    /// Stops the model thread (the session is over).
    func shutdownEngine() {
        model.shutdown()
    }

    var isBusy: Bool { turn != nil }
    var currentEpoch: Int { epoch }
    var sessionRecords: [CallRecord] { records }
}
