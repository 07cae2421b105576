// How batched model calls show: the status bar's live batch size, the latency pane's batch and compute-share
// rows, and the cost pane's saving against running the same calls one after another.
import TUI
import XCTest

final class BatchDisplayTests: XCTestCase {
    func testStatusBarShowsHowManySequencesShareTheModelNow() {
        var b = ScreenBuffer(size: Size(width: 80, height: 1))
        StatusBar(status: StatusInfo(model: "m", speculation: "off", batch: 3), notice: nil, hints: [])
            .render(in: b.area, into: &b, theme: .monochrome)
        assertScreenContains(b, "batch 3")
        var alone = ScreenBuffer(size: Size(width: 80, height: 1))
        StatusBar(status: StatusInfo(model: "m", speculation: "off", batch: 1), notice: nil, hints: [])
            .render(in: alone.area, into: &alone, theme: .monochrome)
        XCTAssertFalse(alone.lines[0].contains("batch"), "a model used by one sequence shows no batch")
    }

    func testLatencyPaneShowsBatchSizeAndComputeShareOfBatchedCalls() {
        let pane = LatencyPane(latency: LatencySnapshot(recent: [
            CallLatency(ttft: 0.1, tokensPerSecond: 90, itlP50: 0.01, itlP95: 0.02),
            CallLatency(ttft: 0.2, tokensPerSecond: 60, itlP50: 0.02, itlP95: 0.03, batchSize: 4, computeShare: 0.25),
        ]))
        let rows = pane.metrics().map { "\($0.0)=\($0.1)" }
        XCTAssertEqual(Array(rows.suffix(2)), ["batch=4.0", "share=25%"])
        let unbatched = LatencyPane(latency: LatencySnapshot(recent: [
            CallLatency(ttft: 0.1, tokensPerSecond: 90, itlP50: 0.01, itlP95: 0.02)]))
        XCTAssertFalse(unbatched.metrics().contains { $0.0 == "batch" })
    }

    func testCostPaneShowsWhatBatchingSavedAgainstOneCallAfterAnother() {
        let cost = CostSnapshot(calls: [
            CallCost(label: "#1", prompt: 100, generated: 20, localDollars: 0.0010, sequentialDollars: 0.0030),
            CallCost(label: "#2", prompt: 100, generated: 20, localDollars: 0.0010, sequentialDollars: 0.0030),
        ])
        XCTAssertEqual(cost.totals.sequentialDollars, 0.0060, accuracy: 1e-12)
        var b = ScreenBuffer(size: Size(width: 48, height: 8))
        CostPane(cost: cost).render(in: b.area, into: &b, theme: .monochrome)
        assertScreenContains(b, "batched saved $0.0040")
        assertScreenContains(b, "vs $0.0060 one by one")
        var alone = ScreenBuffer(size: Size(width: 48, height: 8))
        CostPane(cost: CostSnapshot(calls: [CallCost(label: "#1", localDollars: 0.001)]))
            .render(in: alone.area, into: &alone, theme: .monochrome)
        XCTAssertFalse(alone.lines.joined().contains("saved"), "calls that ran alone save nothing")
    }
}
