// Errors of the command-line layer, and the one place where any error becomes a message and an exit code.
import ArgumentParser
import Foundation

/// Problems found by the commands themselves (before the runtime is involved).
enum CLIError: Error, CustomStringConvertible, LocalizedError {
    case modelNotFound(String)
    case unreadableFile(String, String)
    case invalidJSON(file: String, detail: String)
    case message(String)

    var description: String {
        switch self {
        case .modelNotFound(let path):
            if path == Paths.defaultModel {
                return "no model at \(path): run `make model` to fetch the default model, or pass --model PATH "
                    + "with any llama-family GGUF file"
            }
            return "no model file at \(path): check the path given to --model"
        case .unreadableFile(let path, let why): return "cannot read \(path): \(why)"
        case .invalidJSON(let file, let detail): return "\(file) is not valid JSON: \(detail)"
        case .message(let m): return m
        }
    }

    var errorDescription: String? { description }
}

/// Prints an error the way every command does, to stderr, prefixed with the program name.
func printError(_ error: any Error) {
    let text = (error as? any LocalizedError)?.errorDescription ?? "\(error)"
    FileHandle.standardError.write(Data("tokenworks: error: \(text)\n".utf8))
}
