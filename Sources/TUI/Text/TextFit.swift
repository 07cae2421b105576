// Fitting text into a number of columns: truncation with an ellipsis and padding, by display width.

/// Truncates and pads strings by display width (never by `count`, which is wrong for CJK and emoji).
public enum TextFit {
    public enum Alignment: Hashable, Sendable { case left, right, center }

    /// `text` cut to at most `width` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        let room = width - ellipsisWidth
        guard room >= 0 else { return "" }
        var out = ""
        var used = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > room { break }
            out.append(ch)
            used += w
        }
        return out + ellipsis
    }

    /// `text` truncated to `width` and padded with spaces to exactly `width` columns.
    public static func pad(_ text: String, to width: Int, alignment: Alignment = .left) -> String {
        let t = truncate(text, to: width)
        let gap = max(0, width - DisplayWidth.of(t))
        switch alignment {
        case .left: return t + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + t
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + t + String(repeating: " ", count: gap - left)
        }
    }

    /// Tabs expanded to spaces up to the next multiple of `tabWidth` columns; other control characters except
    /// newlines removed, so what is drawn matches what was measured.
    public static func sanitize(_ text: String, tabWidth: Int = 4) -> String {
        var out = ""
        var column = 0
        for ch in text {
            if ch == "\n" || ch == "\r\n" {
                out.append("\n")
                column = 0
            } else if ch == "\t" {
                let n = tabWidth - column % max(1, tabWidth)
                out += String(repeating: " ", count: n)
                column += n
            } else if let s = ch.unicodeScalars.first, s.value < 0x20 || s.value == 0x7F {
                continue
            } else {
                out.append(ch)
                column += DisplayWidth.of(ch)
            }
        }
        return out
    }
}
