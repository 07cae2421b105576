// `tokenworks ask`: one question, one streamed answer; pipe-friendly, with --json for scripts.
import ArgumentParser
import Foundation
import Inference

struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask the model once and stream the answer to stdout.",
        discussion: "Reads the prompt from stdin when none is given, so `cat notes.txt | tokenworks ask` works.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var generation: GenerationOptions
    @Option(name: .long, help: "System prompt.")
    var system: String?
    @Flag(name: .long, help: "Print one JSON object with the answer, usage and timings instead of streaming text.")
    var json = false
    @Argument(help: "The prompt.")
    var prompt: [String] = []

    func run() async throws {
        var text = prompt.joined(separator: " ")
        if text.isEmpty { text = readStandardInput() }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIError.message("no prompt: give it as an argument or on stdin")
        }
        let parameters = try generation.parameters()
        let engine = try modelOptions.loadEngine()
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(text))
        let tokens = try engine.chatTokens(messages: messages)

        var answer = ""
        var final: (StopReason, CallStats)?
        let out = FileHandle.standardOutput
        for try await event in engine.generate(tokens: tokens, parameters: parameters) {
            switch event {
            case .token(_, let piece, _), .text(let piece):
                answer += piece
                if !json { out.write(Data(piece.utf8)) }
            case .finished(let reason, let stats):
                final = (reason, stats)
            default:
                break
            }
        }
        guard let (reason, stats) = final else { return }
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
