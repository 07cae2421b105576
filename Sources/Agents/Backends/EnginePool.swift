// Loaded models shared by every agent of a process: each GGUF file is opened once (mmapped) and its engine
// serves all the agents that name it, so a planner and its sub-agents batch on one model. Models that name a
// remote endpoint (`MODEL@URL`, or an endpoint of config.yaml) get a RemoteBackend instead.
import Foundation
import Inference

/// Engines by model path, loaded on first use.
public actor EnginePool {
    /// The model for profiles that name none.
    public let defaultModel: String
    /// Folders a bare file name in a profile's `model:` is looked up in.
    public let searchDirectories: [URL]
    public let options: EngineOptions
    /// Named remote endpoints (config.yaml).
    public let config: AgentsConfig
    private var engines: [String: InferenceEngine] = [:]

    public init(defaultModel: String, searchDirectories: [URL] = [], options: EngineOptions = EngineOptions(),
                config: AgentsConfig = AgentsConfig()) {
        self.defaultModel = defaultModel
        self.searchDirectories = searchDirectories
        self.options = options
        self.config = config
    }

    /// Adds an already loaded engine (tests share one across runs).
    public init(engine: InferenceEngine) {
        self.defaultModel = engine.path
        self.searchDirectories = []
        self.options = engine.options
        self.config = AgentsConfig()
        self.engines = [engine.path: engine]
    }

    /// An engine shared with the caller, plus named remote endpoints.
    public init(engine: InferenceEngine, config: AgentsConfig) {
        self.defaultModel = engine.path
        self.searchDirectories = []
        self.options = engine.options
        self.config = config
        self.engines = [engine.path: engine]
    }

    /// The path a profile's model refers to: its `model:` as a path, or a file in the search folders.
    public func path(for profile: AgentProfile) -> String {
        guard let model = profile.model else { return defaultModel }
        let expanded = (model as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: expanded) { return expanded }
        for directory in searchDirectories {
            let candidate = directory.appendingPathComponent(model).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return expanded
    }

    /// The engine for `path`, loading it on first use.
    public func engine(path: String) throws -> InferenceEngine {
        if let engine = engines[path] { return engine }
        guard FileManager.default.fileExists(atPath: path) else { throw AgentsError.modelNotFound(path: path) }
        let engine = try InferenceEngine(path: path, options: options)
        engines[path] = engine
        return engine
    }

    /// A backend for `profile`'s model: remote when it names an endpoint, else the loaded GGUF.
    public func backend(for profile: AgentProfile) throws -> any ModelBackend {
        if let endpoint = try config.remoteEndpoint(for: profile.model ?? defaultModel) {
            return RemoteBackend(endpoint: endpoint)
        }
        return LocalBackend(engine: try engine(path: path(for: profile)))
    }
}
