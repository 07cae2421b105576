// The options every command that loads a model shares.
import ArgumentParser
import Foundation
import Inference

struct ModelOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "GGUF model file (default: $TOKENWORKS_MODEL or the default model in ~/.cache/tokenworks/models).")
    var model: String?

    @Option(name: .long, help: "Kernel threads (default: physical cores).")
    var threads: Int?

    @Option(name: .long, help: "Context size in tokens (default: the model's, at most 8192).")
    var context: Int?

    var modelPath: String { model ?? Paths.defaultModel }

    func engineOptions() -> EngineOptions {
        var o = EngineOptions()
        if let threads, threads > 0 { o.threads = threads }
        if let context, context > 0 { o.contextSize = context }
        return o
    }

    /// Loads the engine, turning a missing file into an actionable message.
    func loadEngine() throws -> InferenceEngine {
        guard FileManager.default.fileExists(atPath: modelPath) else { throw CLIError.modelNotFound(modelPath) }
        return try InferenceEngine(path: modelPath, options: engineOptions())
    }
}
