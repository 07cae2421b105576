// The input editor's model: multi-line text with a cursor counted in graphemes, word moves, history, and
// pastes inserted in one step. Pure value type; the pane only draws it.

/// Text being composed, the cursor, and the history of sent messages.
public struct EditorState: Hashable, Sendable {
    /// The text as graphemes (so the cursor never lands inside "é" or "👩‍💻").
    public private(set) var characters: [Character]
    /// Insertion point, 0...characters.count.
    public private(set) var cursor: Int
    /// Sent messages, oldest first.
    public private(set) var history: [String]
    /// Position while browsing history (nil: editing the draft).
    public private(set) var historyIndex: Int?
    private var draft: [Character] = []

    /// History is capped so a day-long session does not grow without bound.
    public static let historyLimit = 500

    public init(text: String = "", history: [String] = []) {
        self.characters = Array(text)
        self.cursor = characters.count
        self.history = history
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Logical line of the cursor (0-based) and its column in graphemes.
    public var cursorLine: Int { characters[..<cursor].reduce(0) { $1 == "\n" ? $0 + 1 : $0 } }
    public var cursorColumn: Int { cursor - lineStart(of: cursor) }
    public var lineCount: Int { characters.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }

    // MARK: Editing

    /// Inserts text at the cursor in one step (a whole paste at once). Newlines are normalised, tabs become
    /// four spaces and other control characters are dropped; graphemes are re-formed across the insertion point,
    /// so a combining mark or ZWJ typed after its base joins it.
    public mutating func insert(_ text: String) {
        var clean = ""
        clean.reserveCapacity(text.utf8.count)
        for ch in text {
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                clean.append("\n")
            } else if ch == "\t" {
                clean += "    "
            } else if let s = ch.unicodeScalars.first, s.value < 0x20 || s.value == 0x7F {
                continue
            } else {
                clean.append(ch)
            }
        }
        guard !clean.isEmpty else { return }
        leaveHistory()
        let before = max(0, cursor - 1)
        let after = min(characters.count, cursor + 1)
        let left = String(characters[before..<cursor]) + clean
        let merged = Array(left + String(characters[cursor..<after]))
        characters.replaceSubrange(before..<after, with: merged)
        cursor = min(characters.count, before + Array(left).count)
    }

    public mutating func insertNewline() { insert("\n") }

    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        leaveHistory()
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        leaveHistory()
        characters.remove(at: cursor)
    }

    public mutating func deleteWordBackward() {
        let target = wordBoundary(before: cursor)
        guard target < cursor else { return }
        leaveHistory()
        characters.removeSubrange(target..<cursor)
        cursor = target
    }

    public mutating func deleteToLineStart() {
        let start = lineStart(of: cursor)
        guard start < cursor else { return deleteBackward() }
        leaveHistory()
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    public mutating func deleteToLineEnd() {
        let end = lineEnd(of: cursor)
        guard cursor < end else { return deleteForward() }
        leaveHistory()
        characters.removeSubrange(cursor..<end)
    }

    public mutating func clear() {
        characters = []
        cursor = 0
        historyIndex = nil
    }

    /// Replaces the whole text (completion), cursor at the end.
    public mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    // MARK: Moving

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveWordLeft() { cursor = wordBoundary(before: cursor) }
    public mutating func moveWordRight() {
        var i = cursor
        while i < characters.count && !Self.isWord(characters[i]) { i += 1 }
        while i < characters.count && Self.isWord(characters[i]) { i += 1 }
        cursor = i
    }
    public mutating func moveLineStart() { cursor = lineStart(of: cursor) }
    public mutating func moveLineEnd() { cursor = lineEnd(of: cursor) }

    /// Moves to the previous logical line, same column where possible. Returns false on the first line (the
    /// caller then browses history).
    @discardableResult
    public mutating func moveUp() -> Bool {
        let start = lineStart(of: cursor)
        guard start > 0 else { return false }
        let column = cursor - start
        let previousStart = lineStart(of: start - 1)
        cursor = min(previousStart + column, start - 1)
        return true
    }

    /// Moves to the next logical line, same column where possible. Returns false on the last line.
    @discardableResult
    public mutating func moveDown() -> Bool {
        let end = lineEnd(of: cursor)
        guard end < characters.count else { return false }
        let column = cursor - lineStart(of: cursor)
        let nextStart = end + 1
        cursor = min(nextStart + column, lineEnd(of: nextStart))
        return true
    }

    // MARK: History

    /// Shows the previous history entry (saving the draft when starting to browse).
    public mutating func historyPrevious() {
        guard !history.isEmpty else { return }
        let index: Int
        if let i = historyIndex {
            index = max(0, i - 1)
        } else {
            draft = characters
            index = history.count - 1
        }
        historyIndex = index
        characters = Array(history[index])
        cursor = characters.count
    }

    /// Shows the next history entry, or the saved draft after the newest.
    public mutating func historyNext() {
        guard let i = historyIndex else { return }
        if i + 1 < history.count {
            historyIndex = i + 1
            characters = Array(history[i + 1])
        } else {
            historyIndex = nil
            characters = draft
        }
        cursor = characters.count
    }

    /// Takes the text for sending: returns it (nil when only whitespace), records it in history and clears.
    public mutating func submit() -> String? {
        let t = text
        guard !t.allSatisfy({ $0.isWhitespace }) else { return nil }
        if history.last != t { history.append(t) }
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        clear()
        draft = []
        return t
    }

    // MARK: Helpers

    private mutating func leaveHistory() { historyIndex = nil }

    private func lineStart(of index: Int) -> Int {
        var i = index
        while i > 0 && characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEnd(of index: Int) -> Int {
        var i = index
        while i < characters.count && characters[i] != "\n" { i += 1 }
        return i
    }

    private func wordBoundary(before index: Int) -> Int {
        var i = index
        while i > 0 && !Self.isWord(characters[i - 1]) { i -= 1 }
        while i > 0 && Self.isWord(characters[i - 1]) { i -= 1 }
        return i
    }

    private static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}
