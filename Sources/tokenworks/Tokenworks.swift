// Entry point of the tokenworks command; each subcommand lives in Commands/, and errors become messages here.
import ArgumentParser
import Foundation

@main
struct Tokenworks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenworks",
        abstract: "Chat with local GGUF models, run agents, and see what every call costs.",
        subcommands: [ChatCommand.self, AskCommand.self, RunCommand.self, BenchCommand.self, ModelsCommand.self,
                      TokenizeCommand.self, LogCommand.self, EvalCommand.self, TemplateCommand.self,
                      QuantizeCommand.self, ServeCommand.self],
        defaultSubcommand: ChatCommand.self)
}
