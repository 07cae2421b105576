// Which key does what, per context (editor, transcript, call tree, help overlay), with a global layer below.
// A value, so a user's overrides are a dictionary edit and the help overlay is generated from the same table.

/// What a key asks for. `update` gives each action its meaning in the current state.
public enum Action: String, Hashable, Sendable, CaseIterable {
    case quit, interrupt, help, redraw
    case focusNext, focusPrevious, focusEditor
    case send, newline, complete, completePrevious
    case cursorLeft, cursorRight, wordLeft, wordRight, lineStart, lineEnd, cursorUp, cursorDown
    case deleteBackward, deleteForward, deleteWordBackward, deleteToLineStart, deleteToLineEnd
    case scrollUp, scrollDown, pageUp, pageDown, scrollTop, scrollBottom
    case selectPrevious, selectNext, toggleExpand, expand, collapse
    case closeOverlay

    /// One-line description for the help overlay.
    public var summary: String {
        switch self {
        case .quit: return "quit"
        case .interrupt: return "cancel generation / clear input / quit (twice)"
        case .help: return "show or hide this help"
        case .redraw: return "redraw the screen"
        case .focusNext: return "next pane"
        case .focusPrevious: return "previous pane"
        case .focusEditor: return "back to the editor"
        case .send: return "send the message"
        case .newline: return "new line"
        case .complete: return "complete a /command (again: next match)"
        case .completePrevious: return "previous match"
        case .cursorLeft, .cursorRight: return "move"
        case .wordLeft: return "word left"
        case .wordRight: return "word right"
        case .lineStart: return "start of line"
        case .lineEnd: return "end of line"
        case .cursorUp: return "line up / older history"
        case .cursorDown: return "line down / newer history"
        case .deleteBackward: return "delete left"
        case .deleteForward: return "delete right"
        case .deleteWordBackward: return "delete word"
        case .deleteToLineStart: return "delete to start of line"
        case .deleteToLineEnd: return "delete to end of line"
        case .scrollUp: return "scroll up"
        case .scrollDown: return "scroll down"
        case .pageUp: return "transcript page up"
        case .pageDown: return "transcript page down"
        case .scrollTop: return "top"
        case .scrollBottom: return "bottom (follow)"
        case .selectPrevious: return "previous call"
        case .selectNext: return "next call"
        case .toggleExpand: return "expand / collapse"
        case .expand: return "expand"
        case .collapse: return "collapse"
        case .closeOverlay: return "close"
        }
    }
}

/// Where a key is pressed.
public enum KeyContext: String, Hashable, Sendable, CaseIterable {
    case global, editor, transcript, callTree, overlay
}

/// Key bindings per context; a context's own binding wins over the global one.
public struct KeyMap: Hashable, Sendable {
    public var bindings: [KeyContext: [Key: Action]]

    public init(bindings: [KeyContext: [Key: Action]]) {
        self.bindings = bindings
    }

    /// The action of `key` in `context` (falling back to the global layer; the overlay has no fallback except
    /// quitting, so keys do not leak into the panes behind it).
    public func action(for key: Key, in context: KeyContext) -> Action? {
        if let a = bindings[context]?[key] { return a }
        if context == .overlay {
            let a = bindings[.global]?[key]
            return a == .quit || a == .interrupt ? a : nil
        }
        return bindings[.global]?[key]
    }

    /// Keys bound to `action` in `context` (its own layer only), sorted by name for stable hints.
    public func keys(for action: Action, in context: KeyContext) -> [Key] {
        (bindings[context] ?? [:]).filter { $0.value == action }.map(\.key).sorted { $0.description < $1.description }
    }

    /// Binds (or rebinds) a key.
    public mutating func bind(_ key: Key, to action: Action, in context: KeyContext) {
        bindings[context, default: [:]][key] = action
    }

    /// The default bindings (readline-like in the editor, vi-like in the panes).
    public static let standard = KeyMap(bindings: [
        .global: [
            .ctrl("q"): .quit,
            .ctrl("c"): .interrupt,
            .f(1): .help,
            .ctrl("l"): .redraw,
            .backTab: .focusPrevious,
            .pageUp: .pageUp,
            .pageDown: .pageDown,
            .escape: .focusEditor,
            .tab: .focusNext,
        ],
        .editor: [
            .enter: .send,
            .alt(.enter): .newline,
            .ctrl("j"): .newline,
            .tab: .complete,
            .backTab: .completePrevious,
            .left: .cursorLeft,
            .right: .cursorRight,
            .ctrl("b"): .cursorLeft,
            .ctrl("f"): .cursorRight,
            Key(.left, modifiers: .ctrl): .wordLeft,
            Key(.right, modifiers: .ctrl): .wordRight,
            .alt(.char("b")): .wordLeft,
            .alt(.char("f")): .wordRight,
            .home: .lineStart,
            .end: .lineEnd,
            .ctrl("a"): .lineStart,
            .ctrl("e"): .lineEnd,
            .up: .cursorUp,
            .down: .cursorDown,
            .backspace: .deleteBackward,
            .delete: .deleteForward,
            .ctrl("d"): .deleteForward,
            .ctrl("w"): .deleteWordBackward,
            .alt(.backspace): .deleteWordBackward,
            .ctrl("u"): .deleteToLineStart,
            .ctrl("k"): .deleteToLineEnd,
        ],
        .transcript: [
            .up: .scrollUp, .char("k"): .scrollUp,
            .down: .scrollDown, .char("j"): .scrollDown,
            .home: .scrollTop, .char("g"): .scrollTop,
            .end: .scrollBottom, .char("G"): .scrollBottom,
            .char("?"): .help,
        ],
        .callTree: [
            .up: .selectPrevious, .char("k"): .selectPrevious,
            .down: .selectNext, .char("j"): .selectNext,
            .enter: .toggleExpand, .char(" "): .toggleExpand,
            .right: .expand, .char("l"): .expand,
            .left: .collapse, .char("h"): .collapse,
            .char("?"): .help,
        ],
        .overlay: [
            .escape: .closeOverlay, .f(1): .closeOverlay, .char("q"): .closeOverlay, .char("?"): .closeOverlay,
            .enter: .closeOverlay,
            .up: .scrollUp, .down: .scrollDown, .pageUp: .pageUp, .pageDown: .pageDown,
        ],
    ])
}
