// The line-mode chat: a plain REPL over stdin/stdout, for pipes, dumb terminals and until the TUI is wanted.
import Agents
import Foundation
import Inference

/// Runs a chat turn by turn; on a local model the KV cache of each turn is reused by the next (only new tokens
/// are prefilled), on a remote one the conversation is sent whole each turn, as the OpenAI API wants it.
struct LineChat {
    let model: ChatModel
    let parameters: GenerationParameters
    var system: String?
    var showStats = true

    /// One message of the conversation, kept as plain text so either kind of model can be given it.
    private struct Turn {
        var role: String
        var text: String
    }

    func run() async throws {
        let cacheKey = UUID().uuidString
        var turns: [Turn] = []
        if let system { turns.append(Turn(role: "system", text: system)) }
        let interactive = isatty(STDIN_FILENO) == 1
        if interactive {
            let context = model.contextSize > 0 ? ", context \(model.contextSize)" : " (remote)"
            print("Tokenworks chat — \(model.displayName)\(context). /help for commands, /quit to leave.")
        }
        while true {
            if interactive { FileHandle.standardOutput.write(Data("\u{1B}[1m> \u{1B}[0m".utf8)) }
            guard let line = readLine(strippingNewline: true) else { break }
            let input = line.trimmingCharacters(in: .whitespaces)
            if input.isEmpty { continue }
            switch input {
            case "/quit", "/exit": return
            case "/clear":
                turns.removeAll { $0.role != "system" }
                model.engine?.dropCaches()
                print("(conversation cleared)")
                continue
            case "/help":
                print("/clear  forget the conversation   /system TEXT  set the system prompt   /quit  leave")
                continue
            default:
                if input.hasPrefix("/system ") {
                    turns.removeAll { $0.role == "system" }
                    turns.insert(Turn(role: "system", text: String(input.dropFirst(8))), at: 0)
                    print("(system prompt set)")
                    continue
                }
            }
            turns.append(Turn(role: "user", text: line))
            let answer: String
            let statsLine: String
            do {
                switch model {
                case .local(let engine): (answer, statsLine) = try await reply(engine, turns, cacheKey)
                case .remote(let endpoint, _): (answer, statsLine) = try await reply(endpoint, turns)
                }
            } catch {
                print("")
                printError(error)
                turns.removeLast()
                continue
            }
            print("")
            if showStats && interactive { print("\u{1B}[2m\(statsLine)\u{1B}[0m") }
            turns.append(Turn(role: "assistant", text: answer))
        }
    }

    private func reply(_ engine: InferenceEngine, _ turns: [Turn], _ cacheKey: String) async throws -> (String, String) {
        let messages: [ChatMessage] = turns.map {
            $0.role == "system" ? .system($0.text) : $0.role == "assistant" ? .assistant($0.text) : .user($0.text)
        }
        let tokens = try engine.chatTokens(messages: messages)
        var answer = ""
        var statsLine = ""
        for try await event in engine.generate(tokens: tokens, parameters: parameters, cacheKey: cacheKey) {
            switch event {
            case .token(_, let text, _), .text(let text):
                answer += text
                FileHandle.standardOutput.write(Data(text.utf8))
            case .finished(let reason, let s):
                statsLine = String(format: "[%d prompt (%d cached), %d generated, TTFT %.0f ms, %.1f tok/s, %@]",
                                   s.promptTokens, s.cachedTokens, s.generatedTokens,
                                   s.timeToFirstToken * 1000, s.tokensPerSecond, reason.description)
            default: break
            }
        }
        return (answer, statsLine)
    }

    private func reply(_ endpoint: RemoteEndpoint, _ turns: [Turn]) async throws -> (String, String) {
        let messages = turns.map {
            AgentMessage($0.role == "system" ? .system : $0.role == "assistant" ? .assistant : .user, $0.text)
        }
        let request = ModelRequest(messages: messages, maxTokens: parameters.maxTokens,
                                   temperature: Double(parameters.sampling.temperature),
                                   stopSequences: parameters.stopSequences,
                                   repetitionPenalty: Double(parameters.sampling.repetitionPenalty))
        var answer = ""
        var statsLine = ""
        for try await event in RemoteBackend(endpoint: endpoint).stream(request) {
            switch event {
            case .token(let text), .text(let text):
                answer += text
                FileHandle.standardOutput.write(Data(text.utf8))
            case .finished(let u):
                statsLine = String(format: "[%d prompt (%d cached), %d generated, TTFT %.0f ms, %.1f tok/s, %@]",
                                   u.promptTokens, u.cachedTokens, u.generatedTokens,
                                   u.timeToFirstToken * 1000, u.tokensPerSecond, u.stopReason)
            case .prefilled: break
            }
        }
        return (answer, statsLine)
    }
}
