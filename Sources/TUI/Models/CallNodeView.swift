// Display model of the call tree: each model or tool call with its status, size and time, nested as calls
// spawn calls. The agent runtime's tree is mapped onto it.

/// State of one call.
public enum CallStatus: String, Hashable, Sendable {
    case queued, running, done, failed, cancelled
}

/// A label/value pair shown in the details of the selected call.
public struct CallDetail: Hashable, Sendable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// One node of the call tree as displayed.
public struct CallNodeView: Hashable, Sendable, Identifiable {
    /// Stable across updates, so selection and expansion survive a refreshed tree.
    public var id: String
    public var title: String
    public var status: CallStatus
    public var tokens: Int
    public var seconds: Double
    public var children: [CallNodeView]
    /// Initial expansion; the user's own toggles win over it.
    public var expanded: Bool
    public var details: [CallDetail]

    public init(
        id: String, title: String, status: CallStatus, tokens: Int = 0, seconds: Double = 0,
        children: [CallNodeView] = [], expanded: Bool = true, details: [CallDetail] = []
    ) {
        self.id = id
        self.title = title
        self.status = status
        self.tokens = tokens
        self.seconds = seconds
        self.children = children
        self.expanded = expanded
        self.details = details
    }
}
