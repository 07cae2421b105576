// The settings of `tokenworks serve`: where it listens, who may call it, and the limits that keep one client
// from exhausting the machine.

/// How the server listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind: loopback unless the user asks otherwise.
    public var host: String
    /// 0 picks a free port (reported once the server listens).
    public var port: Int
    /// When set, every route requires `Authorization: Bearer KEY`.
    public var apiKey: APIKey?
    /// The largest request body accepted, in bytes (413 above).
    public var maxBodyBytes: Int
    /// The largest `max_tokens` a request may ask for (400 above); also the default for chat requests.
    public var maxTokens: Int
    /// Requests generating at once; they share forward passes in the engine's batch scheduler.
    public var maxRunning: Int
    /// Requests waiting for a place beyond those; more are refused with 429.
    public var maxWaiting: Int
    /// The model id clients see in /v1/models and in responses.
    public var modelName: String

    public init(host: String = "127.0.0.1", port: Int = 8080, apiKey: APIKey? = nil, maxBodyBytes: Int = 1 << 20,
                maxTokens: Int = 4096, maxRunning: Int = 8, maxWaiting: Int = 32, modelName: String) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.maxBodyBytes = max(1024, maxBodyBytes)
        self.maxTokens = max(1, maxTokens)
        self.maxRunning = max(1, maxRunning)
        self.maxWaiting = max(0, maxWaiting)
        self.modelName = modelName
    }

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
