// Where Tokenworks keeps models, data and configuration (XDG base directories).
import Foundation

/// XDG locations: models in the cache, the ledger and sessions in data, settings and profiles in config.
enum Paths {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static func xdg(_ variable: String, _ fallback: String) -> URL {
        if let v = environment[variable], !v.isEmpty { return URL(fileURLWithPath: v).appendingPathComponent("tokenworks") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(fallback)
            .appendingPathComponent("tokenworks")
    }

    static var cache: URL { xdg("XDG_CACHE_HOME", ".cache") }
    static var data: URL { xdg("XDG_DATA_HOME", ".local/share") }
    static var config: URL { xdg("XDG_CONFIG_HOME", ".config") }
    static var models: URL { cache.appendingPathComponent("models") }

    static let defaultModelFile = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The model to use when none is named: $TOKENWORKS_MODEL, else the default model in the cache.
    static var defaultModel: String {
        if let p = environment["TOKENWORKS_MODEL"], !p.isEmpty { return p }
        return models.appendingPathComponent(defaultModelFile).path
    }
}
