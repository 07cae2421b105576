// The stopwatch behind `ask --timing`: times counted from process start (not from main), and the report line
// with the resident memory beside the budget it is held to (model file + KV cache + 64 MiB).
import Foundation
import Inference

/// Seconds since process start with the monotonic clock's resolution: the OS's start time (10 ms ticks) is
/// read once, later readings add monotonic deltas to it.
struct StartupClock {
    private let startOffset: Double
    private let base: Double
    /// True when the OS gave the process start time (otherwise times count from this value's creation).
    let fromProcessStart: Bool

    init() {
        base = MonotonicClock.now()
        let age = ProcessVitals.secondsSinceStart()
        startOffset = age ?? 0
        fromProcessStart = age != nil
    }

    func sinceStart() -> Double { startOffset + MonotonicClock.now() - base }

    /// One line per fact, for humans: when each step finished and what memory the process holds.
    func report(loaded: Double, firstToken: Double?, modelPath: String, cacheBytes: Int, stats: CallStats) -> String {
        let origin = fromProcessStart ? "process start" : "command start"
        var lines = [String(format: "timing (from %@): model loaded %.3f s, first token %@, done %.3f s",
                            origin, loaded, firstToken.map { String(format: "%.3f s", $0) } ?? "none",
                            sinceStart())]
        lines.append(String(format: "  prompt %d tokens, TTFT after load %.3f s, %d tokens at %.1f tok/s",
                            stats.promptTokens, stats.timeToFirstToken, stats.generatedTokens, stats.tokensPerSecond))
        let mib = { (bytes: Int) in Double(bytes) / 1_048_576 }
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: modelPath)[.size] as? Int) ?? 0
        if let (current, peak) = ProcessVitals.residentBytes() {
            let budget = fileBytes + cacheBytes + 64 << 20
            lines.append(String(format: "  resident %.1f MiB (peak %.1f MiB); budget %.1f MiB = file %.1f + KV cache %.1f + 64",
                                mib(current), mib(peak), mib(budget), mib(fileBytes), mib(cacheBytes)))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
