// The roles a theme styles. Panes ask for a role, never for a colour, so every theme (and NO_COLOR) applies
// everywhere at once.

/// What a piece of the screen is, for styling.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
    case background
    case text
    case dimText = "dim_text"
    case accent
    case userTurn = "user_turn"
    case assistantTurn = "assistant_turn"
    case toolTurn = "tool_turn"
    case systemTurn = "system_turn"
    case codeBlock = "code_block"
    case border
    case focusedBorder = "focused_border"
    case title
    case statusBar = "status_bar"
    case keyHint = "key_hint"
    case good
    case warn
    case bad
    case sparkline
    case selection
    case overlay

    /// Attributes that keep this role distinguishable when there is no colour at all (NO_COLOR, monochrome
    /// terminals): turns by weight, chrome by reverse video, problems by underline.
    public var monochromeAttributes: TextAttributes {
        switch self {
        case .background, .text, .assistantTurn, .codeBlock, .border, .good, .sparkline, .overlay: return []
        case .dimText, .toolTurn: return .dim
        case .systemTurn: return .italic
        case .accent, .userTurn, .focusedBorder, .title, .warn: return .bold
        case .statusBar, .selection: return .reverse
        case .keyHint: return [.bold, .reverse]
        case .bad: return [.bold, .underline]
        }
    }
}
