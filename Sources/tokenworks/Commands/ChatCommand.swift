// `tokenworks chat`: the interactive chat (line mode until the TUI takes over).
import ArgumentParser
import Foundation
import Inference

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a model interactively.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var generation: GenerationOptions
    @Option(name: .long, help: "System prompt.")
    var system: String?
    @Flag(name: .long, help: "Plain line-mode chat (no full-screen interface).")
    var plain = false

    func run() async throws {
        let parameters = try generation.parameters()
        let engine = try modelOptions.loadEngine()
        try await LineChat(engine: engine, parameters: parameters, system: system).run()
    }
}
