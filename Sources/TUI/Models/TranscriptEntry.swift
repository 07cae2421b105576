// TUI-side display models of the conversation: what the transcript pane draws. The runtime's events are mapped
// onto these by whoever wires the program, so the TUI never depends on runtime types.

/// Who produced a transcript entry; decides its label, gutter and style.
public enum TranscriptRole: String, Hashable, Sendable, CaseIterable {
    case user, assistant, tool, system, error
}

/// One turn of the conversation as displayed.
public struct TranscriptEntry: Hashable, Sendable {
    public var role: TranscriptRole
    public var text: String
    /// True while the text is still arriving (draws a streaming cursor and spinner).
    public var streaming: Bool
    /// Extra label after the role name: the model of an assistant turn, the tool of a tool turn.
    public var label: String?

    public init(role: TranscriptRole, text: String, streaming: Bool = false, label: String? = nil) {
        self.role = role
        self.text = text
        self.streaming = streaming
        self.label = label
    }
}

/// A change to the transcript, as an event.
public enum TranscriptUpdate: Hashable, Sendable {
    /// A new entry (a streamed reply starts as an entry with `streaming: true`).
    case append(TranscriptEntry)
    /// Text arriving for the entry being streamed.
    case stream(String)
    /// The streamed entry is complete.
    case finishStreaming
    /// Everything removed (a new conversation).
    case clear
}
