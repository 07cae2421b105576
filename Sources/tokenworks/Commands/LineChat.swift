// The line-mode chat: a plain REPL over stdin/stdout, for pipes, dumb terminals and until the TUI is wanted.
import Foundation
import Inference

/// Runs a chat turn by turn; the KV cache of each turn is reused by the next (only new tokens are prefilled).
struct LineChat {
    let engine: InferenceEngine
    let parameters: GenerationParameters
    var system: String?
    var showStats = true

    func run() async throws {
        let cacheKey = UUID().uuidString
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        let interactive = isatty(STDIN_FILENO) == 1
        if interactive {
            print("Tokenworks chat — \(engine.modelName), context \(engine.contextSize). /help for commands, /quit to leave.")
        }
        while true {
            if interactive { FileHandle.standardOutput.write(Data("\u{1B}[1m> \u{1B}[0m".utf8)) }
            guard let line = readLine(strippingNewline: true) else { break }
            let input = line.trimmingCharacters(in: .whitespaces)
            if input.isEmpty { continue }
            switch input {
            case "/quit", "/exit": return
            case "/clear":
                messages.removeAll { $0.role != "system" }
                engine.dropCaches()
                print("(conversation cleared)")
                continue
            case "/help":
                print("/clear  forget the conversation   /system TEXT  set the system prompt   /quit  leave")
                continue
            default:
                if input.hasPrefix("/system ") {
                    messages.removeAll { $0.role == "system" }
                    messages.insert(.system(String(input.dropFirst(8))), at: 0)
                    print("(system prompt set)")
                    continue
                }
            }
            messages.append(.user(line))
            let tokens: [TokenID]
            do { tokens = try engine.chatTokens(messages: messages) } catch {
                printError(error)
                messages.removeLast()
                continue
            }
            var answer = ""
            var statsLine = ""
            do {
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
            } catch {
                print("")
                printError(error)
                messages.removeLast()
                continue
            }
            print("")
            if showStats && interactive { print("\u{1B}[2m\(statsLine)\u{1B}[0m") }
            messages.append(.assistant(answer))
        }
    }
}
