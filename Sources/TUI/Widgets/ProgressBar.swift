// A horizontal bar for budget use and context fill, in eighths of a cell (▏▎▍▌▋▊▉█), with the empty part
// drawn as ░ so it reads without colour.

/// A filled fraction of a width.
public enum ProgressBar {
    static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The bar for `fraction` (clamped to 0...1) in exactly `width` columns.
    public static func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        let eighths = Int((f * Double(width * 8)).rounded())
        let full = eighths / 8
        let rest = eighths % 8
        var out = String(repeating: "█", count: full)
        if full < width {
            if rest > 0 { out.append(partials[rest - 1]) } else { out.append("░") }
            out += String(repeating: "░", count: width - full - 1)
        }
        return out
    }

    /// The role for a used fraction: good below 70%, warn below 90%, bad from there.
    public static func role(for fraction: Double) -> ThemeRole {
        fraction < 0.7 ? .good : fraction < 0.9 ? .warn : .bad
    }
}
