// A stand-in runtime for the demo: answers each message by streaming a canned reply from a background thread,
// growing the call tree, the costs and the latency history, so every pane moves as it will with a real model.
import Foundation

/// Simulated runtime behind `TUIDemo`. Lock-protected so the UI thread and the streaming thread share it.
final class DemoRuntime: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var turn = 0
    private var calls: [CallNodeView] = DemoData.callTree
    private var cost = DemoData.cost
    private var latency = DemoData.latency
    private var contextUsed = DemoData.status.contextUsed

    static let reply = """
        Sure. Here is a small example that greets in two languages:
        ```swift
        let greetings = ["hello", "こんにちは 👩‍💻"]
        for g in greetings { print(g) }
        ```
        Each string is measured by display width, so the wide characters line up in the terminal.
        """

    /// The effect handler given to the program.
    func handle(_ effect: Effect, inbox: EventInbox) {
        switch effect {
        case .submit(let text):
            startReply(to: text, inbox: inbox)
        case .cancelGeneration:
            lock.lock()
            cancelled = true
            lock.unlock()
        case .command(let command):
            inbox.post(.notice(Notice("demo: \(command) (no runtime connected yet)")))
        default:
            break
        }
    }

    private func startReply(to text: String, inbox: EventInbox) {
        lock.lock()
        cancelled = false
        turn += 1
        let id = "t\(turn)"
        calls.append(CallNodeView(id: id, title: "reply: " + TextFit.truncate(text, to: 24), status: .running,
                                  details: [CallDetail("model", "SmolLM2-135M Q4_1"), CallDetail("spec", "lookup")]))
        let tree = calls
        lock.unlock()
        inbox.post(contentsOf: [
            .callTree(tree),
            .status(StatusInfo(model: DemoData.status.model, contextUsed: contextUsed, contextSize: 8_192,
                               speculation: "lookup", generating: true)),
            .transcript(.append(TranscriptEntry(role: .assistant, text: "", streaming: true, label: "SmolLM2-135M"))),
        ])
        let thread = Thread { [self] in stream(id: id, inbox: inbox) }
        thread.start()
    }

    private func stream(id: String, inbox: EventInbox) {
        let started = Date()
        var pieces: [String] = []
        var word = ""
        for ch in Self.reply {
            word.append(ch)
            if ch == " " || ch == "\n" {
                pieces.append(word)
                word = ""
            }
        }
        pieces.append(word)
        var generated = 0
        var wasCancelled = false
        for piece in pieces {
            Thread.sleep(forTimeInterval: 0.045)
            lock.lock()
            wasCancelled = cancelled
            lock.unlock()
            if wasCancelled { break }
            generated += 1
            inbox.post(.transcript(.stream(piece)))
        }
        let seconds = Date().timeIntervalSince(started)
        lock.lock()
        if let i = calls.firstIndex(where: { $0.id == id }) {
            calls[i].status = wasCancelled ? .cancelled : .done
            calls[i].tokens = 320 + generated
            calls[i].seconds = seconds
        }
        cost.calls.append(CallCost(label: "reply \(turn)", prompt: 320, cached: 256, generated: generated,
                                   drafted: generated, accepted: generated * 3 / 4, localDollars: 0.0001,
                                   cloudDollars: 0.0012))
        let spent = cost.totals.localDollars + cost.totals.cloudDollars
        cost.budget?.used = spent
        latency.recent.append(CallLatency(ttft: 0.05 + Double(turn % 3) * 0.03,
                                          tokensPerSecond: Double(generated) / max(seconds, 0.001),
                                          itlP50: 0.045, itlP95: 0.06, acceptanceRate: 0.75))
        contextUsed += 320 + generated
        let update: [AppEvent] = [
            .transcript(.finishStreaming), .callTree(calls), .cost(cost), .latency(latency),
            .status(StatusInfo(model: DemoData.status.model, contextUsed: contextUsed, contextSize: 8_192,
                               speculation: "lookup", generating: false)),
        ]
        lock.unlock()
        inbox.post(contentsOf: update)
        if wasCancelled { inbox.post(.notice(Notice("reply cancelled", level: .warning))) }
    }
}
