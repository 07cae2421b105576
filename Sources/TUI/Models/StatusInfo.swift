// Display model of the status bar: the model in use, context fill, speculation mode, activity.

/// What the status bar shows about the session.
public struct StatusInfo: Hashable, Sendable {
    public var model: String
    public var contextUsed: Int
    public var contextSize: Int
    /// Speculation mode ("off", "draft", "lookup", "self").
    public var speculation: String
    /// True while a model call is running.
    public var generating: Bool
    /// Sequences sharing the model's forward passes right now (continuous batching); shown when above 1.
    public var batch: Int

    public init(model: String = "no model", contextUsed: Int = 0, contextSize: Int = 0, speculation: String = "off",
                generating: Bool = false, batch: Int = 0) {
        self.batch = batch
        self.model = model
        self.contextUsed = contextUsed
        self.contextSize = contextSize
        self.speculation = speculation
        self.generating = generating
    }
}

/// A short message shown in the status bar until it expires.
public struct Notice: Hashable, Sendable {
    public enum Level: Hashable, Sendable { case info, warning, error }
    public var text: String
    public var level: Level
    public init(_ text: String, level: Level = .info) {
        self.text = text
        self.level = level
    }
}
