// One server-sent event as the event-stream format defines it: what OpenAI-compatible servers stream.

/// A dispatched server-sent event (`event:`, the `data:` lines joined with newlines, `id:`, `retry:`).
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; "message" when the event named none.
    public var type: String
    /// The `data:` lines of the event joined with "\n".
    public var data: String
    /// The last `id:` seen so far in the stream (it carries over to later events, as the format says).
    public var lastEventID: String
    /// A `retry:` value in milliseconds, if this event set one.
    public var retry: Int?

    public init(type: String = "message", data: String, lastEventID: String = "", retry: Int? = nil) {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
        self.retry = retry
    }
}
