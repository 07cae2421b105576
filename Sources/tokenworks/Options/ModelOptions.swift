// The options every command that loads a model shares.
import ArgumentParser
import Foundation
import Inference

struct ModelOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "GGUF model file (default: $TOKENWORKS_MODEL or the default model in ~/.cache/tokenworks/models), or a remote OpenAI-compatible model: MODEL@URL or an endpoint named in config.yaml.")
    var model: String?

    @Option(name: .long, help: "Kernel threads (default: physical cores).")
    var threads: Int?

    @Option(name: .long, help: "Context size in tokens (default: the model's, at most 8192).")
    var context: Int?

    @Option(name: .customLong("draft-model"), help: "A smaller GGUF with the same vocabulary, for --spec draft.")
    var draftModel: String?

    @Option(name: .customLong("chat-template"), help: "A Jinja file replacing the model's chat template (see prompts/templates/).")
    var chatTemplate: String?

    var modelPath: String { model ?? Paths.defaultModel }

    func engineOptions() -> EngineOptions {
        var o = EngineOptions()
        if let threads, threads > 0 { o.threads = threads }
        if let context, context > 0 { o.contextSize = context }
        o.draftModelPath = draftModel
        return o
    }

    /// Loads the engine, turning a missing file into an actionable message.
    func loadEngine() throws -> InferenceEngine {
        guard FileManager.default.fileExists(atPath: modelPath) else { throw CLIError.modelNotFound(modelPath) }
        var options = engineOptions()
        if let chatTemplate {
            do { options.chatTemplateOverride = try String(contentsOfFile: chatTemplate, encoding: .utf8) } catch {
                throw CLIError.unreadableFile(chatTemplate, error.localizedDescription)
            }
        }
        return try InferenceEngine(path: modelPath, options: options)
    }
}
