// Sparklines (▁▂▃▄▅▆▇█) for latency and throughput over recent calls, as in ratatui's sparkline.

/// A row of bars, one per value, newest on the right.
public enum Sparkline {
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values as bars scaled to `maximum` (default: the largest shown). Zero and negative
    /// values draw as a space; any positive value gets at least the lowest bar, so "tiny" never looks like "none".
    public static func bars(_ values: [Double], width: Int, maximum: Double? = nil) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = maximum ?? shown.max() ?? 0
        var out = ""
        for v in shown {
            guard v > 0, top > 0, v.isFinite else {
                out.append(" ")
                continue
            }
            let level = Int((min(v, top) / top * Double(levels.count)).rounded(.up)) - 1
            out.append(levels[max(0, min(levels.count - 1, level))])
        }
        return out
    }

    /// Draws the bars right-aligned in a one-row area.
    public static func render(_ values: [Double], in area: Rect, into buffer: inout ScreenBuffer, style: Style,
                              maximum: Double? = nil) {
        guard area.height > 0, area.width > 0 else { return }
        let text = bars(values, width: area.width, maximum: maximum)
        buffer.write(text, at: Point(x: area.right - DisplayWidth.of(text), y: area.y), style: style, clip: area)
    }
}
