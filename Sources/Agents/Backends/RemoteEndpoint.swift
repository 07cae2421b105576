// Where a remote model lives: an OpenAI-compatible server (vLLM, llama-server, Ollama, a hosted API, or
// another `tokenworks serve`), the model name it knows, and how patient to be with it.
import Foundation

/// An OpenAI-compatible endpoint and one model on it.
///
/// Named endpoints come from `config.yaml` (`endpoints:`); an inline reference `MODEL@BASE_URL` on the command
/// line or in a profile's `model:` needs no configuration. The API key is never written in a file: the
/// endpoint names the environment variable that holds it.
public struct RemoteEndpoint: Sendable, Equatable {
    /// What the ledger and the panes call this model: the endpoint's name, or the model for inline references.
    public var name: String
    /// The API root, ending before `/chat/completions` (`http://127.0.0.1:8000/v1`).
    public var baseURL: String
    /// The `model` sent in requests.
    public var model: String
    /// The environment variable holding the API key (nil: no Authorization header).
    public var apiKeyVariable: String?
    /// Seconds to wait for the response to start, and between two streamed pieces, before giving up.
    public var timeout: Double
    /// Retries after a connection failure, a timeout before any output, 429 or 5xx; with exponential back-off.
    public var maxRetries: Int
    /// Whether the server takes `tools` and answers with `tool_calls` (vLLM needs `--enable-auto-tool-choice`,
    /// llama-server `--jinja`). Off: agents use the JSON tool protocol in plain text instead.
    public var nativeTools: Bool
    /// Extra request headers (an organisation id, a routing header).
    public var headers: [String: String]
    /// The first retry waits this many seconds; each further one twice as long (at most 30 s), or what the
    /// server's `Retry-After` asks when that is longer.
    public var backoff: Double

    public init(name: String, baseURL: String, model: String, apiKeyVariable: String? = nil, timeout: Double = 120,
                maxRetries: Int = 3, nativeTools: Bool = true, headers: [String: String] = [:], backoff: Double = 0.5) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.nativeTools = nativeTools
        self.headers = headers
        self.backoff = max(0, backoff)
    }

    /// The full URL of an API path (`chat/completions`, `models`).
    public func url(_ path: String) -> String { baseURL + "/" + path }

    /// Whether `reference` is written as an inline remote model (`MODEL@http…`), as opposed to a file or name.
    public static func isInlineReference(_ reference: String) -> Bool {
        guard let at = reference.lastIndex(of: "@") else { return false }
        let url = reference[reference.index(after: at)...].lowercased()
        return url.hasPrefix("http://") || url.hasPrefix("https://")
    }

    /// Reads `MODEL@BASE_URL` (`qwen2.5-7b@http://gpu-box:8000/v1`). The model name may itself contain `@`
    /// and `/`; the URL is what follows the last `@`.
    public static func inline(_ reference: String) throws(AgentsError) -> RemoteEndpoint {
        guard let at = reference.lastIndex(of: "@") else {
            throw AgentsError.invalidModelReference(reference: reference, problem: "there is no '@'")
        }
        let model = String(reference[..<at])
        let url = String(reference[reference.index(after: at)...])
        guard !model.isEmpty else {
            throw AgentsError.invalidModelReference(reference: reference, problem: "the model name before '@' is empty")
        }
        try validate(baseURL: url, reference: reference)
        return RemoteEndpoint(name: model, baseURL: url, model: model)
    }

    /// Checks that `baseURL` is an http(s) URL with a host.
    static func validate(baseURL: String, reference: String) throws(AgentsError) {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw AgentsError.invalidModelReference(reference: reference,
                                                    problem: "'\(baseURL)' is not an http:// or https:// URL with a host")
        }
    }

    /// The API key from the environment, nil when the endpoint uses none.
    /// - Throws: `missingAPIKey` when the endpoint names a variable that is unset or empty.
    public func apiKey(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AgentsError) -> String? {
        guard let variable = apiKeyVariable else { return nil }
        guard let key = environment[variable], !key.isEmpty else {
            throw AgentsError.missingAPIKey(endpoint: name, variable: variable)
        }
        return key
    }
}
