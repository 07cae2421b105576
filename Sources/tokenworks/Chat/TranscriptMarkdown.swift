// `/save`: a session as a markdown document — settings, every transcript entry under its speaker, and what
// the session's calls cost according to the ledger.
import Foundation
import Ledger

/// Renders a session for reading or sharing.
enum TranscriptMarkdown {
    static func render(_ session: SessionFile, records: [CallRecord]) -> String {
        var out = "# \(session.title)\n\n"
        let s = session.settings
        var facts = ["session `\(session.id)`", "model `\(URL(fileURLWithPath: s.modelPath).lastPathComponent)`",
                     "speculation \(s.speculation)"]
        if let agent = s.agent { facts.append("agent `\(agent)`") }
        out += facts.joined(separator: " · ") + "\n\n"
        if let system = s.systemPrompt { out += "> **System:** " + system.replacingOccurrences(of: "\n", with: "\n> ") + "\n\n" }
        for entry in session.transcript {
            let speaker: String
            switch entry.role {
            case "user": speaker = "You"
            case "assistant": speaker = "Assistant" + (entry.label.map { " (\($0))" } ?? "")
            case "tool": speaker = "Tool" + (entry.label.map { " `\($0)`" } ?? "")
            case "error": speaker = "Error"
            default: speaker = "System"
            }
            out += "### \(speaker)\n\n"
            out += entry.role == "tool" ? "```\n\(entry.text)\n```\n\n" : entry.text + "\n\n"
        }
        let totals = LedgerQuery.total(of: records)
        if totals.calls > 0 {
            out += "---\n\n\(totals.calls) calls · tokens \(totals.tokens.prompt) in (\(totals.tokens.cached) cached), "
                + "\(totals.tokens.generated) out · local \(totals.localCost) · cloud-equivalent \(totals.cloudCost)\n"
        }
        return out
    }
}
