// Queries: call trees with exact roll-ups, totals summed by SQLite against sums done by hand, and filters.
import Foundation
import Ledger
import XCTest

final class LedgerQueryTests: XCTestCase {
    /// A three-level run, written children first as the agent loop does (a parent ends after its children):
    ///
    ///     planner (agent)                     own:   0 /  0 /   0, compute 0.5 s, local 100
    ///     ├── m1 (model)                      own: 200 / 50 /  30, compute 2.0 s, local 1000, cloud 7000
    ///     │   └── t1 (tool read_file)         own:   0 /  0 /   0, compute 0.25 s, local 3
    ///     └── coder (agent)                   own:   0 /  0 /   0, compute 0.125 s, local 5
    ///         ├── m2 (model)                  own: 700 / 600 / 90, compute 3.0 s, local 2000, cloud 11000
    ///         └── m3 (model, error)           own:  11 /  0 /   1, compute 0.001 s, local 1, cloud 17
    func threeLevelRun() -> [CallRecord] {
        [
            modelCall("t1", parent: "m1", at: 1, compute: 0.25, local: 3, kind: .tool, tool: "read_file"),
            modelCall("m1", parent: "planner", at: 0.5, prompt: 200, cached: 50, generated: 30, compute: 2, local: 1000,
                      cloud: 7000),
            modelCall("m2", parent: "coder", agent: "coder", at: 3, prompt: 700, cached: 600, generated: 90,
                      compute: 3, local: 2000, cloud: 11000),
            modelCall("m3", parent: "coder", agent: "coder", at: 4, prompt: 11, generated: 1, compute: 0.001,
                      local: 1, cloud: 17, outcome: .error),
            modelCall("coder", parent: "planner", agent: "coder", model: nil, at: 2.5, compute: 0.125, local: 5,
                      kind: .agent),
            modelCall("planner", agent: "planner", model: nil, at: 0, compute: 0.5, local: 100, kind: .agent),
        ]
    }

    func store(with records: [CallRecord]) async throws -> LedgerStore {
        let store = try LedgerStore(path: try makeTemporaryDirectory(self).appendingPathComponent("l.sqlite").path)
        for record in records { try await store.record(record) }
        return store
    }

    func testTreeHasTheParentChildShapeWithChildrenOldestFirst() async throws {
        let store = try await store(with: threeLevelRun())
        let roots = try await store.tree(run: "run-1")
        XCTAssertEqual(roots.count, 1)
        let rows = roots[0].depthFirst().map { "\(String(repeating: "  ", count: $0.depth))\($0.node.id)" }
        XCTAssertEqual(rows, ["planner", "  m1", "    t1", "  coder", "    m2", "    m3"])
    }

    func testEachNodeTotalsItsOwnCallPlusAllDescendants() async throws {
        let store = try await store(with: threeLevelRun())
        let roots = try await store.tree(run: "run-1")
        let root = try XCTUnwrap(roots.first)
        let nodes = Dictionary(uniqueKeysWithValues: root.depthFirst().map { ($0.node.id, $0.node) })
        func expect(_ id: String, calls: Int, failures: Int, prompt: Int, cached: Int, generated: Int,
                    computeSeconds: Double, local: Int64, cloud: Int64, line: UInt = #line) {
            guard let totals = nodes[id]?.totals else { return XCTFail("no node \(id)", line: line) }
            XCTAssertEqual(totals.calls, calls, "calls of \(id)", line: line)
            XCTAssertEqual(totals.failures, failures, "failures of \(id)", line: line)
            XCTAssertEqual(totals.tokens, TokenCounts(prompt: prompt, cached: cached, generated: generated), "tokens of \(id)", line: line)
            XCTAssertEqual(totals.computeSeconds, computeSeconds, "compute of \(id)", line: line)
            XCTAssertEqual(totals.localCost, Cost(nanodollars: local), "local cost of \(id)", line: line)
            XCTAssertEqual(totals.cloudCost, Cost(nanodollars: cloud), "cloud cost of \(id)", line: line)
        }
        expect("t1", calls: 1, failures: 0, prompt: 0, cached: 0, generated: 0, computeSeconds: 0.25, local: 3, cloud: 0)
        expect("m1", calls: 2, failures: 0, prompt: 200, cached: 50, generated: 30, computeSeconds: 2.25, local: 1003, cloud: 7000)
        expect("coder", calls: 3, failures: 1, prompt: 711, cached: 600, generated: 91, computeSeconds: 3.126, local: 2006,
               cloud: 11017)
        expect("planner", calls: 6, failures: 1, prompt: 911, cached: 650, generated: 121, computeSeconds: 5.876,
               local: 3109, cloud: 18017)
    }

    func testRunTotalsFromSQLiteEqualTheRootOfTheTreeAndTheSumOfTheCalls() async throws {
        let records = threeLevelRun()
        let store = try await store(with: records + [modelCall("other", run: "run-2", prompt: 5, local: 9)])
        let roots = try await store.tree(run: "run-1")
        let root = try XCTUnwrap(roots.first)
        let fromSQL = try await store.total(matching: LedgerFilter(runID: "run-1"))
        XCTAssertEqual(fromSQL, root.totals)
        XCTAssertEqual(fromSQL, LedgerQuery.total(of: records))
        let perRun = try await store.totals(by: .run)
        XCTAssertEqual(perRun.map(\.key), ["run-1", "run-2"])
        XCTAssertEqual(perRun.first?.totals, root.totals)
        XCTAssertEqual(perRun.last?.totals.localCost, Cost(nanodollars: 9))
    }

    func testTotalsPerModelAndAgentFromSQLiteEqualTheInMemoryRollUp() async throws {
        let records = threeLevelRun()
        let store = try await store(with: records)
        for grouping in LedgerGrouping.allCases {
            let fromSQL = try await store.totals(by: grouping)
            XCTAssertEqual(fromSQL, LedgerQuery.totals(of: records, by: grouping), "grouping by \(grouping)")
        }
        let perModel = try await store.totals(by: .model)
        XCTAssertEqual(perModel.map(\.key), [nil, "SmolLM2-135M-Instruct.Q4_1.gguf"])
        XCTAssertEqual(perModel.map(\.totals.calls), [2, 4])
    }

    func testTotalsOfNoCallsAreZeroAndNoGroups() async throws {
        let store = try await store(with: threeLevelRun())
        let none = LedgerFilter(runID: "no such run")
        let total = try await store.total(matching: none)
        XCTAssertEqual(total, .zero)
        let groups = try await store.totals(matching: none, by: .model)
        XCTAssertEqual(groups, [])
    }

    func testCallWhoseParentIsMissingBecomesARoot() {
        let records = [modelCall("orphan", parent: "still-running", at: 1), modelCall("top", at: 0)]
        let roots = LedgerQuery.trees(of: records)
        XCTAssertEqual(roots.map(\.id), ["orphan", "top"])
    }

    func testParentCycleInADamagedLedgerIsCutNotLoopedOn() {
        let records = [modelCall("a", parent: "b", at: 0), modelCall("b", parent: "a", at: 1), modelCall("c", parent: "c", at: 2)]
        let roots = LedgerQuery.trees(of: records)
        XCTAssertEqual(roots.map(\.id), ["a", "c"])
        XCTAssertEqual(roots.first?.children.map(\.id), ["b"])
        XCTAssertEqual(roots.reduce(CallTotals.zero) { $0 + $1.totals }.calls, 3)
    }

    // MARK: Filters

    /// Calls across two runs and sessions, three agents, two models, all kinds and several outcomes.
    func mixedCalls() -> [CallRecord] {
        [
            modelCall("a", run: "r1", session: "s1", agent: "planner", model: "small.gguf", at: 0),
            modelCall("b", run: "r1", session: "s1", agent: "coder", model: "big.gguf", at: 10, outcome: .error),
            modelCall("c", run: "r1", session: "s1", agent: "coder", model: nil, at: 20, kind: .tool, tool: "shell"),
            modelCall("d", run: "r2", session: "s2", agent: "coder", model: "small.gguf", at: 30, outcome: .cancelled),
            modelCall("e", run: "r2", session: nil, agent: nil, model: nil, at: 40, kind: .scriptStep, outcome: .budget),
            modelCall("f", run: "r3", session: "s2", agent: "reviewer", model: nil, at: 50, kind: .agent),
        ]
    }

    func ids(_ store: LedgerStore, _ filter: LedgerFilter, line: UInt = #line) async throws -> [String] {
        let fromSQL = try await store.records(matching: filter).map(\.id)
        XCTAssertEqual(fromSQL, filter.apply(to: mixedCalls()).map(\.id), "SQL and in-memory filters differ", line: line)
        return fromSQL
    }

    func testFiltersSelectByEachField() async throws {
        let store = try await store(with: mixedCalls().reversed())
        var result = try await ids(store, LedgerFilter(runID: "r1"))
        XCTAssertEqual(result, ["a", "b", "c"])
        result = try await ids(store, LedgerFilter(sessionID: "s2"))
        XCTAssertEqual(result, ["d", "f"])
        result = try await ids(store, LedgerFilter(agent: "coder"))
        XCTAssertEqual(result, ["b", "c", "d"])
        result = try await ids(store, LedgerFilter(model: "small.gguf"))
        XCTAssertEqual(result, ["a", "d"])
        result = try await ids(store, LedgerFilter(tool: "shell"))
        XCTAssertEqual(result, ["c"])
        result = try await ids(store, LedgerFilter(kinds: [.tool, .agent]))
        XCTAssertEqual(result, ["c", "f"])
        result = try await ids(store, LedgerFilter(outcomes: [.error, .budget]))
        XCTAssertEqual(result, ["b", "e"])
        result = try await ids(store, LedgerFilter(kinds: []))
        XCTAssertEqual(result, [])
    }

    func testTimeRangeIncludesItsStartAndExcludesItsEnd() async throws {
        let store = try await store(with: mixedCalls())
        let range = LedgerFilter(since: baseTime.addingTimeInterval(10), until: baseTime.addingTimeInterval(40))
        let result = try await ids(store, range)
        XCTAssertEqual(result, ["b", "c", "d"])
    }

    func testConditionsCombineAndLatestKeepsTheMostRecentOldestFirst() async throws {
        let store = try await store(with: mixedCalls())
        var result = try await ids(store, LedgerFilter(agent: "coder", outcomes: [.ok, .cancelled]))
        XCTAssertEqual(result, ["c", "d"])
        result = try await ids(store, LedgerFilter(latest: 2))
        XCTAssertEqual(result, ["e", "f"])
        result = try await ids(store, LedgerFilter(runID: "r1", latest: 2))
        XCTAssertEqual(result, ["b", "c"])
    }

    func testFilterValuesAreNeverSplicedIntoSQL() async throws {
        let store = try await store(with: mixedCalls())
        let result = try await ids(store, LedgerFilter(agent: "coder' OR '1'='1"))
        XCTAssertEqual(result, [])
    }
}
