// `tokenworks tokenize`: token ids and pieces of a text, also for vocabulary-only GGUF files.
import ArgumentParser
import Foundation
import GGUF
import Inference

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the token ids and pieces a model's tokenizer makes of a text.",
        discussion: "Works on vocabulary-only GGUF files (no weights needed). Reads the text from stdin when none is given.")

    @Option(name: [.short, .long], help: "GGUF file whose vocabulary to use (default: the default model).")
    var model: String?
    @Flag(name: .long, help: "Print a JSON object with \"ids\" and \"pieces\".")
    var json = false
    @Flag(name: .customLong("no-add-special"), help: "Do not add BOS/EOS even if the vocabulary asks for them.")
    var noAddSpecial = false
    @Flag(name: .customLong("no-parse-special"), help: "Treat special-token texts like <|im_start|> as plain text.")
    var noParseSpecial = false
    @Argument(help: "The text to tokenize.")
    var text: [String] = []

    func run() throws {
        let path = model ?? Paths.defaultModel
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError.modelNotFound(path) }
        let file = try GGUFFile(path: path)
        let tokenizer = try Tokenizer(gguf: file)
        let input = text.isEmpty ? readStandardInput() : text.joined(separator: " ")
        let ids = tokenizer.encode(input, addSpecial: !noAddSpecial, parseSpecial: !noParseSpecial)
        let pieces = ids.map { String(decoding: tokenizer.pieceBytes($0, renderSpecial: true), as: UTF8.self) }
        if json {
            let object: [String: Any] = ["ids": ids.map(Int.init), "pieces": pieces, "count": ids.count]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (id, piece) in zip(ids, pieces) {
                let shown = piece.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
                print("\(id)\t\(shown)")
            }
        }
    }
}

/// All of standard input as UTF-8 text (invalid bytes replaced).
func readStandardInput() -> String {
    String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
}
