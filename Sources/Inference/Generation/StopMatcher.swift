// Holds back streamed text that might be the start of a stop sequence, so a stop string is never shown and
// then taken back.

/// Streams text through, cutting it at the first stop sequence.
struct StopMatcher: Sendable {
    let stops: [String]
    private var pending = ""

    init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    /// Feeds new text; returns what can be shown now and the stop sequence if one completed.
    mutating func feed(_ text: String) -> (emit: String, stop: String?) {
        guard !stops.isEmpty else { return (text, nil) }
        pending += text
        for s in stops {
            if let r = pending.range(of: s) {
                let emit = String(pending[..<r.lowerBound])
                pending = ""
                return (emit, s)
            }
        }
        // Keep the longest suffix that is a prefix of some stop sequence.
        var keep = 0
        for s in stops {
            let maxLen = min(s.count - 1, pending.count)
            if maxLen <= keep { continue }
            for len in stride(from: maxLen, to: keep, by: -1) where pending.hasSuffix(String(s.prefix(len))) {
                keep = len
                break
            }
        }
        let cut = pending.index(pending.endIndex, offsetBy: -keep)
        let emit = String(pending[..<cut])
        pending = String(pending[cut...])
        return (emit, nil)
    }

    /// Text still held back when generation ends for another reason.
    mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }
}
