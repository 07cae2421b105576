// What a terminal backend reports: keys, pastes, mouse events and resizes.

/// A mouse event (only what the workbench uses: the wheel and button presses).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case wheelUp, wheelDown
        case press(button: Int)
        case release(button: Int)
    }
    public var kind: Kind
    public var position: Point
    public init(_ kind: Kind, at position: Point) {
        self.kind = kind
        self.position = position
    }
}

/// One input event from the terminal.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    /// Text pasted in one go (bracketed paste): inserted as a whole, never interpreted as keys.
    case paste(String)
    case mouse(MouseEvent)
    case resize(Size)
}
