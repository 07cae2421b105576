// What a tool call produced: the text the model reads next, whether it failed, and what it spent.

/// The outcome of one tool call.
public struct ToolResult: Sendable, Equatable {
    /// The text given back to the model.
    public var output: String
    /// True when the call failed; the model still reads `output` (the error message) and may try again.
    public var isError: Bool
    /// Tokens, steps and money spent inside the tool (a sub-agent's run), charged to the caller's budget.
    public var usage: Usage
    /// Small facts kept in the ledger (exit status, truncation …).
    public var details: [String: JSON]

    public init(output: String, isError: Bool = false, usage: Usage = .zero, details: [String: JSON] = [:]) {
        self.output = output
        self.isError = isError
        self.usage = usage
        self.details = details
    }

    /// A failed call whose message is `error`'s description.
    public static func failure(_ error: any Error) -> ToolResult {
        ToolResult(output: String(describing: error), isError: true)
    }

    /// `text` cut to at most `limit` UTF-8 bytes (on a character boundary) with a marker saying how much was
    /// left out, so the model knows it saw only part.
    public static func capped(_ text: String, limit: Int) -> (text: String, truncated: Bool) {
        guard text.utf8.count > limit else { return (text, false) }
        var kept = ""
        var bytes = 0
        for character in text {
            let size = character.utf8.count
            if bytes + size > limit { break }
            kept.append(character)
            bytes += size
        }
        return (kept + "\n[… truncated: \(text.utf8.count - bytes) more bytes not shown]", true)
    }
}

/// `bytes` as a String when they are valid UTF-8, nil otherwise (never substitutes replacement characters).
func validUTF8<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var scalars = String.UnicodeScalarView()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): scalars.append(scalar)
        case .emptyInput: return String(scalars)
        case .error: return nil
        }
    }
}
