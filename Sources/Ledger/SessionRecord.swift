// A chat session as the ledger knows it: enough for the TUI to list sessions and resume one.
// The transcript itself is not stored here; calls point at their session through `CallRecord.sessionID`.
import Foundation

/// One chat session: its id, a title for menus, when it was created and the model it was started with.
public struct SessionRecord: Hashable, Sendable, Identifiable, Codable {
    public var id: String
    public var title: String
    private var createdAtMilliseconds: Int64
    /// The model the session was started with (a GGUF file name or remote model id).
    public var model: String?

    public init(id: String = UUID().uuidString, title: String, createdAt: Date = Date(), model: String? = nil) {
        self.id = id
        self.title = title
        self.createdAtMilliseconds = Timestamp.milliseconds(createdAt)
        self.model = model
    }

    /// When the session was created, to the millisecond.
    public var createdAt: Date {
        get { Timestamp.date(milliseconds: createdAtMilliseconds) }
        set { createdAtMilliseconds = Timestamp.milliseconds(newValue) }
    }

    var createdMilliseconds: Int64 { createdAtMilliseconds }

    init(id: String, title: String, createdMilliseconds: Int64, model: String?) {
        self.init(id: id, title: title, createdAt: Date(timeIntervalSince1970: 0), model: model)
        self.createdAtMilliseconds = createdMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case id, title, createdAt = "created_at", model
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .createdAt)
        guard let ms = Timestamp.milliseconds(iso8601: text) else {
            throw DecodingError.dataCorruptedError(forKey: .createdAt, in: c,
                                                   debugDescription: "expected a UTC time like 2025-07-01T12:00:00.000Z")
        }
        self.init(id: try c.decode(String.self, forKey: .id), title: try c.decode(String.self, forKey: .title),
                  createdMilliseconds: ms, model: try c.decodeIfPresent(String.self, forKey: .model))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(Timestamp.iso8601(milliseconds: createdAtMilliseconds), forKey: .createdAt)
        try c.encode(model, forKey: .model)
    }
}
