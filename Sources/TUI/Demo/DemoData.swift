// Canned display data for the demo and for snapshot tests: a short conversation with a code block, a call tree
// with a sub-agent and tools, costs with speculation, and latency history.

/// Canned content showing every pane.
public enum DemoData {
    public static let transcript: [TranscriptEntry] = [
        TranscriptEntry(role: .user, text: "Write a Swift function that sums an array."),
        TranscriptEntry(
            role: .assistant,
            text: "Here is a generic version:\n```swift\nfunc sum<T: Numeric>(_ xs: [T]) -> T {\n    xs.reduce(0, +)\n}\n```\nIt works for Int and Double alike.",
            label: "SmolLM2-135M"),
        TranscriptEntry(role: .tool, text: "wrote Sources/Sum.swift (3 lines)", label: "write_file"),
    ]

    public static let callTree: [CallNodeView] = [
        CallNodeView(
            id: "1", title: "chat turn", status: .done, tokens: 1_412, seconds: 2.8,
            children: [
                CallNodeView(id: "1.1", title: "SmolLM2 reply", status: .done, tokens: 1_240, seconds: 2.1,
                             details: [CallDetail("model", "SmolLM2-135M Q4_1"), CallDetail("spec", "lookup")]),
                CallNodeView(id: "1.2", title: "write_file", status: .done, tokens: 0, seconds: 0.01),
            ]),
        CallNodeView(
            id: "2", title: "planner", status: .running, tokens: 530, seconds: 1.2,
            children: [
                CallNodeView(id: "2.1", title: "read_file Package.swift", status: .done, tokens: 0, seconds: 0.02),
                CallNodeView(id: "2.2", title: "coder (sub-agent)", status: .running, tokens: 212, seconds: 0.7),
            ]),
    ]

    public static let cost = CostSnapshot(
        calls: [
            CallCost(label: "reply", prompt: 1_024, cached: 768, generated: 216, drafted: 180, accepted: 142,
                     localDollars: 0.0004, cloudDollars: 0.0061),
            CallCost(label: "planner", prompt: 402, cached: 0, generated: 128, drafted: 96, accepted: 70,
                     localDollars: 0.0002, cloudDollars: 0.0023),
        ],
        budget: BudgetView(label: "$0.05", used: 0.0084, limit: 0.05))

    public static let latency = LatencySnapshot(recent: [
        CallLatency(ttft: 0.120, tokensPerSecond: 88, itlP50: 0.011, itlP95: 0.019, acceptanceRate: 0.71),
        CallLatency(ttft: 0.095, tokensPerSecond: 94, itlP50: 0.010, itlP95: 0.017, acceptanceRate: 0.78),
        CallLatency(ttft: 0.210, tokensPerSecond: 61, itlP50: 0.015, itlP95: 0.030, acceptanceRate: 0.52),
        CallLatency(ttft: 0.088, tokensPerSecond: 102, itlP50: 0.009, itlP95: 0.014, acceptanceRate: 0.81),
    ])

    public static let status = StatusInfo(model: "SmolLM2-135M", contextUsed: 1_650, contextSize: 8_192,
                                          speculation: "lookup")

    /// A state with every pane filled, at `size`.
    public static func state(size: Size) -> AppState {
        var s = AppState(size: size)
        s.transcript = transcript
        s.callTree = callTree
        s.selectedCallID = "1.1"
        s.cost = cost
        s.latency = latency
        s.status = status
        s.catalog = SlashCompleter.Catalog(themes: ["dark", "high-contrast", "light", "mono", "sixteen"],
                                           models: ["SmolLM2-135M"], agents: ["coder", "planner"])
        return s
    }
}
