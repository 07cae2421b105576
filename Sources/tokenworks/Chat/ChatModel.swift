// What a chat session's plain turns run on: the in-process engine of a GGUF file, or a remote
// OpenAI-compatible endpoint (`MODEL@URL`, or an endpoint named in config.yaml). Agents find their models
// through the engine pool either way.
import Agents
import Foundation
import Inference

/// The chat's own model. A remote one has no engine: its turns stream through `RemoteBackend`, its usage comes
/// from the server, and its latency is measured here — so the panes and the ledger read the same either way.
enum ChatModel: Sendable {
    case local(InferenceEngine)
    case remote(RemoteEndpoint, reference: String)

    /// Opens `reference`: a remote endpoint when it names one, else the GGUF file (which must exist).
    static func open(_ reference: String, options: EngineOptions, config: AgentsConfig) throws -> ChatModel {
        if let endpoint = try config.remoteEndpoint(for: reference) {
            _ = try endpoint.apiKey()  // a missing key is reported now, not at the first turn
            return .remote(endpoint, reference: reference)
        }
        guard FileManager.default.fileExists(atPath: reference) else { throw CLIError.modelNotFound(reference) }
        return .local(try InferenceEngine(path: reference, options: options))
    }

    var engine: InferenceEngine? {
        if case .local(let engine) = self { return engine }
        return nil
    }

    /// The name shown in the status bar and on assistant turns.
    var displayName: String {
        switch self {
        case .local(let engine): return engine.modelName
        case .remote(let endpoint, _): return endpoint.name
        }
    }

    /// The model as the ledger records it: the file name, or the endpoint's name.
    var recordName: String {
        switch self {
        case .local(let engine): return URL(fileURLWithPath: engine.path).lastPathComponent
        case .remote(let endpoint, _): return endpoint.name
        }
    }

    /// What `/model` and the session file keep: a path, or the remote reference as given.
    var reference: String {
        switch self {
        case .local(let engine): return engine.path
        case .remote(_, let reference): return reference
        }
    }

    /// The context size, 0 when the server does not say (the status bar then leaves the gauge out).
    var contextSize: Int { engine?.contextSize ?? 0 }

    /// One line for `/model`.
    var summary: String {
        switch self {
        case .local(let engine): return "model \(engine.path) (context \(engine.contextSize))"
        case .remote(let endpoint, _): return "remote model \(endpoint.model) at \(endpoint.baseURL)"
        }
    }

    func shutdown() { engine?.shutdown() }
}
