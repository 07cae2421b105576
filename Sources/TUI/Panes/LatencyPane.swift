// Draws speed over recent calls: TTFT, tokens per second, inter-token latency p50/p95 and the speculative
// acceptance rate, each as the latest value and a sparkline.

/// The latency pane.
public struct LatencyPane: Sendable {
    public var latency: LatencySnapshot
    public init(latency: LatencySnapshot) { self.latency = latency }

    /// Metric rows: label, latest value formatted, history.
    public func metrics() -> [(String, String, [Double])] {
        let r = latency.recent
        guard let last = r.last else { return [] }
        var rows: [(String, String, [Double])] = [
            ("TTFT", Format.milliseconds(last.ttft), r.map(\.ttft)),
            ("tok/s", Format.fixed(last.tokensPerSecond, 1), r.map(\.tokensPerSecond)),
            ("ITL p50", Format.milliseconds(last.itlP50), r.map(\.itlP50)),
            ("ITL p95", Format.milliseconds(last.itlP95), r.map(\.itlP95)),
        ]
        if r.contains(where: { $0.acceptanceRate != nil }) {
            rows.append(("accept", last.acceptanceRate.map(Format.percent) ?? "–", r.map { $0.acceptanceRate ?? 0 }))
        }
        // Batched calls: how many sequences shared the passes, and the call's share of their compute time.
        if r.contains(where: { $0.batchSize > 1.05 }) {
            rows.append(("batch", Format.fixed(last.batchSize, 1), r.map(\.batchSize)))
            rows.append(("share", Format.percent(last.computeShare), r.map(\.computeShare)))
        }
        return rows
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer, theme: Theme) {
        let inner = Border(title: "Latency", info: latency.recent.isEmpty ? "" : "last \(latency.recent.count)")
            .render(in: area, into: &buffer, theme: theme)
        guard !inner.isEmpty else { return }
        let rows = metrics()
        if rows.isEmpty {
            buffer.write(TextFit.truncate("no calls yet", to: inner.width), at: Point(x: inner.x, y: inner.y),
                         style: theme[.dimText])
            return
        }
        for (i, (label, value, history)) in rows.prefix(inner.height).enumerated() {
            let y = inner.y + i
            buffer.write(TextFit.pad(label, to: 8), at: Point(x: inner.x, y: y), style: theme[.dimText], clip: inner)
            buffer.write(TextFit.pad(value, to: 7, alignment: .right), at: Point(x: inner.x + 8, y: y),
                         style: theme[.text].adding(.bold), clip: inner)
            let sparkX = inner.x + 16
            if inner.right - sparkX >= 3 {
                let maximum: Double? = label == "accept" || label == "share" ? 1 : nil
                Sparkline.render(history, in: Rect(x: sparkX, y: y, width: inner.right - sparkX, height: 1),
                                 into: &buffer, style: theme[.sparkline], maximum: maximum)
            }
        }
    }
}
