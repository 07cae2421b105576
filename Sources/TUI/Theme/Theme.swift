// A theme: one style per role, plus its degradation to the colours the terminal has (256 → 16 → 8 → none).

/// Styles per role. Built from a theme file by `ThemeLoader`, then degraded once to the terminal's capability.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var styles: [ThemeRole: Style]

    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role`; roles a theme leaves out look like `text`.
    public subscript(role: ThemeRole) -> Style {
        styles[role] ?? styles[.text] ?? .plain
    }

    /// The theme as a terminal with `capability` colours shows it.
    ///
    /// RGB becomes the nearest 256-palette colour, then the nearest of 16, then of 8; on 8-colour terminals a
    /// bright foreground becomes its normal colour in bold (bright black becomes white, dim) so it stays
    /// visible. With no colour every role keeps its own attributes plus `ThemeRole.monochromeAttributes`.
    public func degraded(to capability: ColorCapability) -> Theme {
        var out: [ThemeRole: Style] = [:]
        for role in ThemeRole.allCases {
            let s = self[role]
            if capability == .none {
                out[role] = Style(attributes: s.attributes.union(role.monochromeAttributes))
                continue
            }
            var fg = s.foreground.degraded(to: capability == .ansi8 ? .ansi16 : capability) ?? .default
            var bg = s.background.degraded(to: capability) ?? .default
            var attributes = s.attributes
            if capability == .ansi8 {
                if case .ansi(let n) = fg, n >= 8 {
                    if n == 8 {
                        fg = .white
                        attributes.insert(.dim)
                    } else {
                        fg = .ansi(n - 8)
                        attributes.insert(.bold)
                    }
                }
                if case .ansi(let n) = bg { bg = .ansi(n & 7) }
            }
            out[role] = Style(foreground: fg, background: bg, attributes: attributes)
        }
        return Theme(name: name, styles: out)
    }

    /// A theme in the 16 ANSI colours only, used when no theme file can be found, so the workbench always starts.
    public static let fallback = Theme(name: "fallback", styles: [
        .background: .plain,
        .text: .plain,
        .dimText: Style(foreground: .brightBlack),
        .accent: Style(foreground: .cyan, attributes: .bold),
        .userTurn: Style(foreground: .brightBlue, attributes: .bold),
        .assistantTurn: Style(foreground: .default),
        .toolTurn: Style(foreground: .yellow),
        .systemTurn: Style(foreground: .magenta, attributes: .italic),
        .codeBlock: Style(foreground: .green),
        .border: Style(foreground: .brightBlack),
        .focusedBorder: Style(foreground: .cyan, attributes: .bold),
        .title: Style(foreground: .cyan, attributes: .bold),
        .statusBar: Style(foreground: .black, background: .white),
        .keyHint: Style(foreground: .black, background: .cyan, attributes: .bold),
        .good: Style(foreground: .green),
        .warn: Style(foreground: .yellow, attributes: .bold),
        .bad: Style(foreground: .red, attributes: .bold),
        .sparkline: Style(foreground: .cyan),
        .selection: Style(attributes: .reverse),
        .overlay: .plain,
    ])

    /// The no-colour theme: attributes only.
    public static let monochrome = Theme(name: "mono", styles: [:]).degraded(to: .none)
}
