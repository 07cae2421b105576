// A key press as the app sees it: a key code plus modifiers, independent of how the terminal encoded it.

/// One key press.
public struct Key: Hashable, Sendable, CustomStringConvertible {
    /// Which key.
    public enum Code: Hashable, Sendable {
        case char(Character)
        case enter, tab, backTab, backspace, delete, escape, insert
        case up, down, left, right, home, end, pageUp, pageDown
        case function(Int)
    }

    /// Modifier keys held with it.
    public struct Modifiers: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let ctrl = Modifiers(rawValue: 1)
        public static let alt = Modifiers(rawValue: 2)
        public static let shift = Modifiers(rawValue: 4)
    }

    public var code: Code
    public var modifiers: Modifiers

    public init(_ code: Code, modifiers: Modifiers = []) {
        self.code = code
        self.modifiers = modifiers
    }

    /// A printable character typed without modifiers.
    public static func char(_ c: Character) -> Key { Key(.char(c)) }
    /// Ctrl plus a letter (stored lower-case: terminals cannot tell Ctrl-A from Ctrl-Shift-A).
    public static func ctrl(_ c: Character) -> Key { Key(.char(Character(c.lowercased())), modifiers: .ctrl) }
    /// Alt (Meta) plus a key.
    public static func alt(_ code: Code) -> Key { Key(code, modifiers: .alt) }

    public static let enter = Key(.enter)
    public static let tab = Key(.tab)
    public static let backTab = Key(.backTab)
    public static let backspace = Key(.backspace)
    public static let delete = Key(.delete)
    public static let escape = Key(.escape)
    public static let up = Key(.up)
    public static let down = Key(.down)
    public static let left = Key(.left)
    public static let right = Key(.right)
    public static let home = Key(.home)
    public static let end = Key(.end)
    public static let pageUp = Key(.pageUp)
    public static let pageDown = Key(.pageDown)
    public static func f(_ n: Int) -> Key { Key(.function(n)) }

    /// The printable character of an unmodified (or shift-only) key, for text input.
    public var text: Character? {
        guard case .char(let c) = code, modifiers.subtracting(.shift).isEmpty else { return nil }
        return c
    }

    /// How key hints and the help overlay spell it: "Ctrl-C", "Alt-Enter", "PgUp", "F1".
    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.ctrl) { parts.append("Ctrl") }
        if modifiers.contains(.alt) { parts.append("Alt") }
        if modifiers.contains(.shift) { parts.append("Shift") }
        let name: String
        switch code {
        case .char(" "): name = "Space"
        case .char(let c): name = modifiers.contains(.ctrl) ? c.uppercased() : String(c)
        case .enter: name = "Enter"
        case .tab: name = "Tab"
        case .backTab: name = "Shift-Tab"
        case .backspace: name = "Backspace"
        case .delete: name = "Del"
        case .escape: name = "Esc"
        case .insert: name = "Ins"
        case .up: name = "↑"
        case .down: name = "↓"
        case .left: name = "←"
        case .right: name = "→"
        case .home: name = "Home"
        case .end: name = "End"
        case .pageUp: name = "PgUp"
        case .pageDown: name = "PgDn"
        case .function(let n): name = "F\(n)"
        }
        parts.append(name)
        return parts.joined(separator: "-")
    }
}
