// What is wrong with a conversation read from OpenAI-style JSON.

/// A conversation (messages or tool calls from JSON) that does not have the shape chat templates need.
public enum ChatFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject(what: String)
    case missingKey(what: String, key: String)
    case invalidValue(what: String, key: String, expected: String)

    public var description: String {
        switch self {
        case .notAnObject(let what):
            return "\(what) is not a JSON object: give each message as {\"role\": …, \"content\": …}"
        case .missingKey(let what, let key):
            return "\(what) has no `\(key)`: add it (OpenAI chat format)"
        case .invalidValue(let what, let key, let expected):
            return "\(what) has an invalid `\(key)`: expected \(expected)"
        }
    }
}
