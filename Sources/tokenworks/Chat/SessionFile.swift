// One chat session as saved on disk (JSON in the sessions folder): its identity, settings, what the transcript
// showed and what the model was told. Written after every turn and every settings change.
import Foundation

/// One line of a saved transcript or conversation.
struct SessionEntry: Codable, Equatable, Sendable {
    /// user, assistant, tool, system or error (the transcript's roles; the conversation uses the first three).
    var role: String
    var text: String
    /// The model of an assistant turn, the tool of a tool turn.
    var label: String?

    init(role: String, text: String, label: String? = nil) {
        self.role = role
        self.text = text
        self.label = label
    }
}

/// A saved chat session.
struct SessionFile: Codable, Equatable, Sendable {
    /// Bumped when the layout changes incompatibly; readers refuse newer versions with a clear message.
    static let currentVersion = 1

    var version: Int
    /// Also the ledger's session id, so `tokenworks log` and the cost pane agree on what belongs to it.
    var id: String
    /// The first user message, shortened (for lists).
    var title: String
    var createdAt: Date
    var updatedAt: Date
    var settings: ChatSettings
    /// What the transcript pane showed, in order.
    var transcript: [SessionEntry]
    /// The plain-chat conversation the model sees (user and assistant turns, no system prompt).
    var conversation: [SessionEntry]

    init(id: String = SessionFile.newID(), settings: ChatSettings, now: Date = Date()) {
        self.version = Self.currentVersion
        self.id = id
        self.title = "new session"
        self.createdAt = now
        self.updatedAt = now
        self.settings = settings
        self.transcript = []
        self.conversation = []
    }

    /// A session id that sorts by creation time and is short enough to type: `20250701-120102-3fa9`.
    static func newID(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return formatter.string(from: now) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}
