// Terminal colours as themes name them (default, 16 ANSI, 256-palette index, RGB) and their degradation to
// what a terminal can show, so one theme file works from true-colour terminals down to NO_COLOR.

/// One terminal colour. Kept symbolic (not RGB) so that degradation can respect the user's own palette:
/// an ANSI colour stays the terminal's "red", not our guess of its RGB value.
public enum Color: Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright).
    case ansi(UInt8)
    /// An index into the 256-colour palette (16-231 colour cube, 232-255 grey ramp).
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0)
    public static let red = Color.ansi(1)
    public static let green = Color.ansi(2)
    public static let yellow = Color.ansi(3)
    public static let blue = Color.ansi(4)
    public static let magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6)
    public static let white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8)
    public static let brightRed = Color.ansi(9)
    public static let brightGreen = Color.ansi(10)
    public static let brightYellow = Color.ansi(11)
    public static let brightBlue = Color.ansi(12)
    public static let brightMagenta = Color.ansi(13)
    public static let brightCyan = Color.ansi(14)
    public static let brightWhite = Color.ansi(15)

    /// Theme-file names of the 16 ANSI colours, in index order.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow", "bright_blue", "bright_magenta",
        "bright_cyan", "bright_white",
    ]

    /// The xterm default RGB values of the 16 ANSI colours; used only to find the nearest ANSI colour for an
    /// RGB or palette colour, never to draw.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The six intensity steps of the xterm 6×6×6 colour cube.
    static let cubeSteps: [Int] = [0, 95, 135, 175, 215, 255]

    /// The colour as the terminal shows it with `capability` colours; `nil` when it cannot show colour at all
    /// (the caller then falls back to attributes). `.default` always survives.
    public func degraded(to capability: ColorCapability) -> Color? {
        if self == .default { return .default }
        switch capability {
        case .none:
            return nil
        case .trueColor:
            return self
        case .ansi256:
            if case .rgb(let r, let g, let b) = self { return .indexed(Color.nearestIndex256(r, g, b)) }
            return self
        case .ansi16:
            return .ansi(ansi16Index)
        case .ansi8:
            return .ansi(ansi16Index & 7)
        }
    }

    /// The nearest of the 16 ANSI colours.
    var ansi16Index: UInt8 {
        switch self {
        case .default: return 7
        case .ansi(let n): return n & 15
        case .indexed(let n) where n < 16: return n
        case .indexed(let n):
            let (r, g, b) = Color.rgbOfIndex(n)
            return Color.nearestANSI(r, g, b)
        case .rgb(let r, let g, let b):
            return Color.nearestANSI(Int(r), Int(g), Int(b))
        }
    }

    /// RGB of a 256-palette index (xterm defaults).
    static func rgbOfIndex(_ n: UInt8) -> (Int, Int, Int) {
        if n < 16 {
            let c = ansiRGB[Int(n)]
            return (Int(c.0), Int(c.1), Int(c.2))
        }
        if n >= 232 {
            let v = 8 + 10 * (Int(n) - 232)
            return (v, v, v)
        }
        let i = Int(n) - 16
        return (cubeSteps[i / 36], cubeSteps[(i / 6) % 6], cubeSteps[i % 6])
    }

    /// Nearest index of the 16-255 part of the palette (cube or grey ramp) by squared RGB distance.
    static func nearestIndex256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        func step(_ v: Int) -> Int {
            var best = 0
            for (i, s) in cubeSteps.enumerated() where abs(s - v) < abs(cubeSteps[best] - v) { best = i }
            return best
        }
        let (cr, cg, cb) = (step(ri), step(gi), step(bi))
        let cubeIndex = 16 + 36 * cr + 6 * cg + cb
        let cubeDistance = distance((cubeSteps[cr], cubeSteps[cg], cubeSteps[cb]), (ri, gi, bi))
        let grey = (ri + gi + bi) / 3
        let greyStep = max(0, min(23, (grey - 3) / 10))
        let greyValue = 8 + 10 * greyStep
        let greyDistance = distance((greyValue, greyValue, greyValue), (ri, gi, bi))
        return UInt8(greyDistance < cubeDistance ? 232 + greyStep : cubeIndex)
    }

    /// Nearest ANSI colour by squared RGB distance against the xterm defaults.
    static func nearestANSI(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        var best = 0
        var bestDistance = Int.max
        for (i, c) in ansiRGB.enumerated() {
            let d = distance((Int(c.0), Int(c.1), Int(c.2)), (r, g, b))
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return UInt8(best)
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }
}

/// How many colours a terminal can show; decides how theme colours are degraded.
public enum ColorCapability: Int, Comparable, Sendable, CaseIterable {
    /// No colour: NO_COLOR is set, or the terminal is monochrome. Roles stay distinct through attributes.
    case none = 0
    case ansi8 = 8
    case ansi16 = 16
    case ansi256 = 256
    case trueColor = 16_777_216

    public static func < (a: ColorCapability, b: ColorCapability) -> Bool { a.rawValue < b.rawValue }

    /// The capability for a terminal reporting `colors` colours (ncurses' COLORS).
    public init(colorCount colors: Int) {
        switch colors {
        case ..<8: self = .none
        case 8..<16: self = .ansi8
        case 16..<256: self = .ansi16
        case 256..<16_777_216: self = .ansi256
        default: self = .trueColor
        }
    }

    /// The capability after honouring NO_COLOR (https://no-color.org): present and non-empty disables colour.
    public func honouringNoColor(_ environment: [String: String]) -> ColorCapability {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .none }
        return self
    }
}
