// `tokenworks serve`: the in-process runtime behind an OpenAI-compatible HTTP API (the Server target does the
// work; this command only reads flags, loads the model, the ledger and the prices, and starts it).
import ArgumentParser
import Foundation
import Inference
import Ledger
import Server

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the model over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, /v1/completions).",
        discussion: """
            Listens on loopback (127.0.0.1:8080) unless --host says otherwise. With --api-key-env VAR every \
            request must send `Authorization: Bearer $VAR`. Concurrent requests share the model: they decode \
            together in one batch. Every call is written to the ledger (`tokenworks log` shows them).
            """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .long, help: "Address to listen on (default: loopback only).")
    var host = "127.0.0.1"
    @Option(name: .long, help: "Port (0 picks a free one; the address is printed when listening).")
    var port = 8080
    @Option(name: .customLong("api-key-env"), help: ArgumentHelp("Require the API key held in this environment variable.",
                                                                valueName: "VAR"))
    var apiKeyEnv: String?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted.")
    var maxBodyBytes = 1 << 20
    @Option(name: .customLong("max-tokens"), help: "Largest max_tokens a request may ask for.")
    var maxTokens = 4096
    @Option(name: .customLong("max-running"), help: "Requests generating at once (default: --parallel).")
    var maxRunning: Int?
    @Option(name: .customLong("max-waiting"), help: "Requests queued beyond those; more get 429.")
    var maxWaiting = 32
    @Option(name: .long, help: "Sequences decoded together in one batch.")
    var parallel = 8
    @Option(name: .customLong("model-name"), help: "The model id clients see (default: the GGUF file name).")
    var modelName: String?

    func run() async throws {
        var key: APIKey?
        if let variable = apiKeyEnv {
            guard let value = ProcessInfo.processInfo.environment[variable], let parsed = APIKey(value) else {
                throw CLIError.message("--api-key-env \(variable): the variable is not set or empty")
            }
            key = parsed
        }
        guard parallel >= 1, maxTokens >= 1, maxWaiting >= 0, port >= 0, port <= 65535 else {
            throw CLIError.message("--parallel and --max-tokens must be at least 1, --max-waiting at least 0, "
                                   + "--port from 0 to 65535")
        }
        var options = modelOptions
        options.model = modelOptions.modelPath
        let engine = try loadEngine(options)
        let errors = FileHandle.standardError
        let ledger: LedgerStore?
        do {
            ledger = try LedgerStore()
        } catch {
            errors.write(Data("tokenworks serve: warning: running without a ledger: \(error)\n".utf8))
            ledger = nil
        }
        let configuration = ServerConfiguration(
            host: host, port: port, apiKey: key, maxBodyBytes: maxBodyBytes, maxTokens: maxTokens,
            maxRunning: maxRunning ?? parallel, maxWaiting: maxWaiting,
            modelName: modelName ?? URL(fileURLWithPath: engine.path).deletingPathExtension().lastPathComponent)
        if !configuration.isLoopback && key == nil {
            let warning = "tokenworks serve: warning: listening on \(host) without an API key: anyone who can "
                + "reach this address can use the model; add --api-key-env VAR\n"
            errors.write(Data(warning.utf8))
        }
        let service = ModelService(engine: engine, configuration: configuration, ledger: ledger,
                                   prices: try? PriceSheet.loadDefault()) { notice in
            FileHandle.standardError.write(Data("tokenworks serve: \(notice)\n".utf8))
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        try await OpenAIServer(service: service).run { port in
            let line = "tokenworks serve: listening on http://\(shownHost):\(port)/v1 (model \(configuration.modelName))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        engine.shutdown()
    }

    /// The engine with room for `--parallel` sequences.
    func loadEngine(_ options: ModelOptions) throws -> InferenceEngine {
        guard FileManager.default.fileExists(atPath: options.modelPath) else {
            throw CLIError.modelNotFound(options.modelPath)
        }
        var engineOptions = options.engineOptions()
        engineOptions.maxSequences = parallel
        if let template = options.chatTemplate {
            do { engineOptions.chatTemplateOverride = try String(contentsOfFile: template, encoding: .utf8) } catch {
                throw CLIError.unreadableFile(template, error.localizedDescription)
            }
        }
        return try InferenceEngine(path: options.modelPath, options: engineOptions)
    }
}
