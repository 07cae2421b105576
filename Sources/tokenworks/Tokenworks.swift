// Entry point of the tokenworks command; each subcommand lives in Commands/.
import ArgumentParser

@main
struct Tokenworks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenworks",
        abstract: "Chat with local GGUF models, run agents, and see what every call costs.")
}
