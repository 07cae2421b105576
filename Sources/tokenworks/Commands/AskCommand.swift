// `tokenworks ask`: one question, one streamed answer; pipe-friendly, with --json for scripts.
// With --agent, the agent loop runs headless in the current directory (its workspace) instead.
import Agents
import ArgumentParser
import Foundation
import Inference
import Ledger

struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask the model once and stream the answer to stdout.",
        discussion: """
            Reads the prompt from stdin when none is given, so `cat notes.txt | tokenworks ask` works.
            With --agent PROFILE the agent loop runs with the current directory as its workspace: the model may \
            call tools and other agents, each call is written to the ledger, and --json prints the answer with \
            the call tree. If the word after --agent is not a profile name, the `default` profile runs and the \
            word is part of the prompt (`tokenworks ask --agent "What is in notes.txt?"`).
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var generation: GenerationOptions
    @Option(name: .long, help: "System prompt.")
    var system: String?
    @Flag(name: .long, help: "Print one JSON object with the answer, usage and timings instead of streaming text.")
    var json = false
    @Option(name: .long, help: ArgumentHelp("Run the agent loop with this profile (prompts/agents/*.yaml, "
                                            + "~/.config/tokenworks/agents/*.yaml).", valueName: "PROFILE"))
    var agent: String?
    @Option(name: .long, help: ArgumentHelp("Agent mode: comma-separated tools replacing the profile's.",
                                            valueName: "LIST"))
    var tools: String?
    @Flag(name: .long, help: "Agent mode: also print every model reply on stderr.")
    var trace = false
    @Flag(name: .long, help: "Print on stderr when (counted from process start) the model was loaded, the first token came and the answer ended, and the resident memory.")
    var timing = false
    @Argument(help: "The prompt.")
    var prompt: [String] = []

    func run() async throws {
        if agent != nil || tools != nil {
            try await runAgent()
            return
        }
        var text = prompt.joined(separator: " ")
        if text.isEmpty { text = readStandardInput() }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIError.message("no prompt: give it as an argument or on stdin")
        }
        if let endpoint = try AgentsConfig.load().remoteEndpoint(for: modelOptions.modelPath) {
            try await askRemote(endpoint, text)
            return
        }
        let clock = StartupClock()
        let parameters = try generation.parameters()
        let engine = try modelOptions.loadEngine()
        let loadedAt = clock.sinceStart()
        var firstTokenAt: Double?
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(text))
        let tokens = try engine.chatTokens(messages: messages)

        let started = Date()
        let startTime = MonotonicClock.now()
        var answer = ""
        var final: (StopReason, CallStats)?
        let out = FileHandle.standardOutput
        for try await event in engine.generate(tokens: tokens, parameters: parameters) {
            switch event {
            case .token(_, let piece, _), .text(let piece):
                if firstTokenAt == nil { firstTokenAt = clock.sinceStart() }
                answer += piece
                if !json { out.write(Data(piece.utf8)) }
            case .finished(let reason, let stats):
                final = (reason, stats)
            default:
                break
            }
        }
        guard let (reason, stats) = final else { return }
        var tally = ChatRuntime.StreamTally()
        tally.finished = (reason, stats)
        var record = ChatRuntime.record(id: UUID().uuidString, sessionID: nil,
                                        model: URL(fileURLWithPath: engine.path).lastPathComponent,
                                        started: started, startTime: startTime, tally: tally, failure: nil,
                                        speculation: generation.spec)
        record.agent = "ask"
        await AskLedger.write(record)
        if timing {
            let cacheBytes = await engine.withModel { _, pool in pool.bytesAllocated }
            FileHandle.standardError.write(Data(clock.report(loaded: loadedAt, firstToken: firstTokenAt,
                                                             modelPath: modelOptions.modelPath,
                                                             cacheBytes: cacheBytes, stats: stats).utf8))
        }
        if json {
            print(try AskReport(model: engine.modelName, answer: answer, reason: reason, stats: stats).json())
        } else {
            out.write(Data("\n".utf8))
        }
    }
}

/// The `--json` shape of `ask`: OpenAI-like usage plus our timings.
struct AskReport: Encodable {
    struct Usage: Encodable {
        var prompt_tokens: Int
        var cached_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int
    }
    struct Timings: Encodable {
        var time_to_first_token_s: Double
        var tokens_per_second: Double
        var prompt_tokens_per_second: Double
        var total_s: Double
        var inter_token_latency_p50_ms: Double
        var inter_token_latency_p95_ms: Double
    }
    var model: String
    var answer: String
    var stop_reason: String
    var usage: Usage
    var timings: Timings

    init(model: String, answer: String, reason: StopReason, stats: CallStats) {
        self.model = model
        self.answer = answer
        self.stop_reason = reason.description
        usage = Usage(prompt_tokens: stats.promptTokens, cached_tokens: stats.cachedTokens,
                      completion_tokens: stats.generatedTokens,
                      total_tokens: stats.promptTokens + stats.generatedTokens)
        timings = Timings(time_to_first_token_s: stats.timeToFirstToken, tokens_per_second: stats.tokensPerSecond,
                          prompt_tokens_per_second: stats.promptTokensPerSecond, total_s: stats.totalSeconds,
                          inter_token_latency_p50_ms: stats.interTokenLatency(quantile: 0.5) * 1000,
                          inter_token_latency_p95_ms: stats.interTokenLatency(quantile: 0.95) * 1000)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

// MARK: - Remote models

extension AskCommand {
    /// Streams the answer of a remote model (`--model MODEL@URL` or an endpoint of config.yaml).
    func askRemote(_ endpoint: RemoteEndpoint, _ text: String) async throws {
        var messages: [AgentMessage] = []
        if let system { messages.append(AgentMessage(.system, system)) }
        messages.append(AgentMessage(.user, text))
        let request = ModelRequest(messages: messages, maxTokens: generation.maxTokens,
                                   temperature: Double(generation.temperature), stopSequences: generation.stop)
        var answer = ""
        var usage: ModelUsage?
        let out = FileHandle.standardOutput
        let started = Date()
        let startTime = MonotonicClock.now()
        var tally = ChatRuntime.StreamTally()
        for try await event in RemoteBackend(endpoint: endpoint).stream(request) {
            switch event {
            case .token(let piece):
                let now = MonotonicClock.now()
                if let last = tally.lastTokenTime { tally.gaps.append(now - last) }
                if tally.firstTokenTime == nil { tally.firstTokenTime = now }
                tally.lastTokenTime = now
                tally.generated += 1
                answer += piece
                if !json { out.write(Data(piece.utf8)) }
            case .text(let piece):
                answer += piece
                if !json { out.write(Data(piece.utf8)) }
            case .finished(let final):
                usage = final
            case .prefilled(let prompt, let cached):
                tally.promptTokens = prompt
                tally.cachedTokens = cached
            }
        }
        guard let usage else { return }
        var record = ChatRuntime.remoteRecord(id: UUID().uuidString, sessionID: nil, endpoint: endpoint,
                                              started: started, startTime: startTime, tally: tally, usage: usage,
                                              failure: nil)
        record.agent = "ask"
        await AskLedger.write(record, remoteModel: endpoint.model)
        if json {
            var stats = CallStats()
            stats.promptTokens = usage.promptTokens
            stats.cachedTokens = usage.cachedTokens
            stats.generatedTokens = usage.generatedTokens
            stats.firstTokenTime = usage.timeToFirstToken
            if usage.tokensPerSecond > 0, usage.generatedTokens > 1 {
                stats.endTime = usage.timeToFirstToken + Double(usage.generatedTokens - 1) / usage.tokensPerSecond
            } else {
                stats.endTime = usage.timeToFirstToken
            }
            let reason: StopReason = usage.stopReason == "length" ? .maxTokens : .endOfGeneration
            print(try AskReport(model: endpoint.name, answer: answer, reason: reason, stats: stats).json())
        } else {
            out.write(Data("\n".utf8))
        }
    }
}

// MARK: - Agent mode

extension AskCommand {
    /// Runs the agent loop headless: progress on stderr, the answer (or the JSON report) on stdout.
    func runAgent() async throws {
        let library = ProfileLibrary.standard()
        var words = prompt
        var profileName = "default"
        if let agent {
            if library.names().contains(agent) || agent == "default" {
                profileName = agent
            } else {
                words.insert(agent, at: 0)
            }
        }
        var text = words.joined(separator: " ")
        if text.isEmpty { text = readStandardInput() }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIError.message("no prompt: give it as an argument or on stdin")
        }
        var profile = try library.profile(named: profileName)
        if let tools {
            profile.tools = tools.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }

        let errors = FileHandle.standardError
        let setup = try await AgentSetup(modelOptions: modelOptions, library: library, profiles: [profile])
        let runner = AgentRunner(environment: setup.environment)

        var tree = CallTree()
        var final: AgentRunResult?
        for await event in runner.events(profile: profile, task: text) {
            tree.apply(event)
            if !json { Self.showProgress(event) }
            if trace, case .modelCallFinished(let record, let reply) = event {
                FileHandle.standardError.write(Data("[\(record.agent ?? "")] model: \(reply)\n".utf8))
            }
            if case .runFinished(let result) = event, result.info.parentCallID == nil { final = result }
        }
        await setup.shutdown()
        guard let final else { throw CLIError.message("the agent run ended without a result") }
        if json {
            print(AgentReport(result: final, tree: tree).json())
        } else if let answer = final.answer {
            print(answer)
        } else {
            errors.write(Data("tokenworks: the agent stopped without an answer: \(final.stop)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// One line on stderr per tool call and budget event, so a headless run shows what it is doing.
    static func showProgress(_ event: AgentEvent) {
        let line: String
        switch event {
        case .toolStarted(let info):
            line = "[\(info.agent)] \(info.tool) \(JSON.object(info.arguments).text.prefix(120))"
        case .toolFinished(let record, let result) where result.isError:
            line = "[\(record.agent ?? "")] \(record.tool ?? "") failed: \(result.output.prefix(160))"
        case .budgetWarning(_, let exhaustion):
            line = "budget warning: \(exhaustion.kind.rawValue) \(Int(exhaustion.used)) of \(Int(exhaustion.limit))"
        case .budgetExhausted(_, let exhaustion):
            line = "stopped: \(exhaustion)"
        case .notice(let text):
            line = "note: \(text)"
        default:
            return
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Asks on the terminal (not stdin, which may be a pipe) whether a shell command may run; no terminal, no.
@Sendable func askOnTerminal(_ request: ShellConfirmationRequest) async -> Bool {
    guard let tty = FileHandle(forUpdatingAtPath: "/dev/tty") else { return false }
    defer { try? tty.close() }
    tty.write(Data("[\(request.agent)] run `\(request.command)` in \(request.directory)? [y/N] ".utf8))
    var answer = Data()
    while let byte = try? tty.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
        answer.append(first)
    }
    let text = String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
    return text == "y" || text == "yes"
}
