// Reads the workbench off a captured terminal screen: which panes are there, whether a reply is streaming, and
// the figures the cost and latency panes print, so tests compare them with the ledger.
import Foundation

/// A captured screen of the chat workbench.
struct ChatScreen {
    let lines: [String]

    init(_ lines: [String]) { self.lines = lines }

    var text: String { lines.joined(separator: "\n") }

    /// The status bar (the last row that has the model marker).
    var statusLine: String? { lines.last { $0.contains("◆") } }

    /// The transcript pane and the status bar are drawn.
    var isWorkbench: Bool { lines.contains { $0.contains(" Transcript ") } && statusLine != nil }

    /// The status bar shows a reply (or agent run) in progress.
    var isGenerating: Bool { statusLine?.contains("generating") == true }

    /// The number in the cost pane's "N calls" (0 when it shows none).
    var costCallCount: Int {
        guard let title = lines.first(where: { $0.contains(" Cost ") }),
              let n = firstMatch(#"(\d+) calls"#, in: title) else { return 0 }
        return Int(n) ?? 0
    }

    /// The first capture group of `pattern` anywhere on the screen.
    func value(_ pattern: String) -> String? {
        for line in lines {
            if let v = firstMatch(pattern, in: line) { return v }
        }
        return nil
    }

    private func firstMatch(_ pattern: String, in line: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        let range = NSRange(line.startIndex..., in: line)
        guard let match = regex.firstMatch(in: line, range: range), match.numberOfRanges > 1,
              let r = Range(match.range(at: 1), in: line) else { return nil }
        return String(line[r])
    }

    /// Every row is at most `width` columns and there are `height` rows.
    func fits(width: Int, height: Int) -> Bool {
        lines.count <= height && lines.allSatisfy { $0.count <= width }
    }
}
