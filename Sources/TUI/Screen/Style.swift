// How a cell looks: foreground, background and text attributes. A value, so buffers compare with `==`.

/// Text attributes a terminal can combine with colour; in monochrome they are all that keeps roles apart.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let italic = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let reverse = TextAttributes(rawValue: 1 << 4)

    /// Theme-file names, in a fixed order for messages and round-trips.
    public static let named: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline), ("reverse", .reverse),
    ]
}

/// The look of one cell.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default look.
    public static let plain = Style()

    /// This style with `other`'s colours where they are not `.default`, and both styles' attributes.
    /// Used to lay a highlight (selection, cursor line) over already styled text without losing its colour.
    public func patched(with other: Style) -> Style {
        Style(
            foreground: other.foreground == .default ? foreground : other.foreground,
            background: other.background == .default ? background : other.background,
            attributes: attributes.union(other.attributes))
    }

    /// This style with `attributes` added.
    public func adding(_ extra: TextAttributes) -> Style {
        Style(foreground: foreground, background: background, attributes: attributes.union(extra))
    }

    /// This style with another foreground.
    public func with(foreground: Color) -> Style {
        Style(foreground: foreground, background: background, attributes: attributes)
    }

    /// This style with another background.
    public func with(background: Color) -> Style {
        Style(foreground: foreground, background: background, attributes: attributes)
    }
}
