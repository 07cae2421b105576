// Budget arithmetic: which limit is hit first, what a child inherits, and the messages.
import Agents
import Ledger
import XCTest

final class BudgetTests: XCTestCase {
    func testStepsAreCheckedFirst() {
        let budget = Budget(maxSteps: 2, maxTokens: 10)
        let usage = Usage(steps: 2, tokens: TokenCounts(prompt: 50, generated: 5))
        XCTAssertEqual(budget.exhaustion(of: usage, elapsed: 0)?.kind, .steps)
    }

    func testTokensCountPromptAndGenerated() {
        let budget = Budget(maxTokens: 100)
        XCTAssertNil(budget.exhaustion(of: Usage(tokens: TokenCounts(prompt: 60, cached: 60, generated: 39)), elapsed: 0))
        XCTAssertEqual(budget.exhaustion(of: Usage(tokens: TokenCounts(prompt: 60, generated: 40)), elapsed: 0),
                       BudgetExhaustion(kind: .tokens, used: 100, limit: 100))
    }

    func testCostAndTime() {
        let budget = Budget(maxCost: Cost(dollars: 0.01), maxSeconds: 5)
        XCTAssertEqual(budget.exhaustion(of: Usage(cost: Cost(dollars: 0.02)), elapsed: 0)?.kind, .cost)
        XCTAssertEqual(budget.exhaustion(of: .zero, elapsed: 5.5)?.kind, .time)
        XCTAssertNil(budget.exhaustion(of: .zero, elapsed: 4.9))
    }

    func testUnlimitedNeverRunsOut() {
        XCTAssertNil(Budget.unlimited.exhaustion(of: Usage(steps: 1_000_000), elapsed: 1e9))
    }

    func testChildIsBoundedByWhatTheParentHasLeft() {
        let parent = Budget(maxSteps: 10, maxTokens: 1000, maxCost: Cost(dollars: 1), maxSeconds: 60, maxDepth: 2)
        let left = parent.remaining(after: Usage(steps: 7, tokens: TokenCounts(prompt: 900), cost: Cost(dollars: 0.25)),
                                    elapsed: 50)
        XCTAssertEqual(left, Budget(maxSteps: 3, maxTokens: 100, maxCost: Cost(dollars: 0.75), maxSeconds: 10, maxDepth: 2))
        XCTAssertTrue(left.allowsDelegation)
        let child = Budget(maxSteps: 8, maxTokens: 50, maxCost: nil, maxSeconds: nil, maxDepth: 5).bounded(by: left.forChild())
        XCTAssertEqual(child, Budget(maxSteps: 3, maxTokens: 50, maxCost: Cost(dollars: 0.75), maxSeconds: 10, maxDepth: 1))
    }

    func testRemainingNeverGoesNegative() {
        let left = Budget(maxSteps: 1, maxDepth: 0).remaining(after: Usage(steps: 5), elapsed: 0)
        XCTAssertEqual(left.maxSteps, 0)
        XCTAssertEqual(left.forChild().maxDepth, 0)
        XCTAssertFalse(left.allowsDelegation)
    }

    func testWarningsAboveAFraction() {
        let budget = Budget(maxSteps: 10, maxTokens: 1000)
        let kinds = budget.kinds(above: 0.8, usage: Usage(steps: 8, tokens: TokenCounts(prompt: 500)), elapsed: 0)
        XCTAssertEqual(kinds.map(\.kind), [.steps])
    }

    func testMessages() {
        XCTAssertEqual(BudgetExhaustion(kind: .steps, used: 3, limit: 3).description,
                       "step budget spent: 3 of 3 model calls")
        XCTAssertEqual(BudgetExhaustion(kind: .tokens, used: 2104, limit: 2000).description,
                       "token budget spent: 2104 of 2000 tokens")
        XCTAssertEqual(BudgetExhaustion(kind: .time, used: 2.04, limit: 2).description,
                       "time budget spent: 2 of 2 seconds")
        XCTAssertEqual(BudgetExhaustion(kind: .cost, used: 0.0021, limit: 0.002).description,
                       "cost budget spent: $0.0021 of $0.0020")
    }
}
