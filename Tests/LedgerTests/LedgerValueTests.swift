// The value types: token counts and costs add exactly, costs print as dollars, times keep milliseconds.
import Foundation
import Ledger
import XCTest

final class LedgerValueTests: XCTestCase {
    func testTokenCountsAddFieldByField() {
        let a = TokenCounts(prompt: 1, cached: 2, generated: 3, drafted: 4, accepted: 5, rejected: 6)
        let b = TokenCounts(prompt: 10, cached: 20, generated: 30, drafted: 40, accepted: 50, rejected: 60)
        XCTAssertEqual(a + b, TokenCounts(prompt: 11, cached: 22, generated: 33, drafted: 44, accepted: 55, rejected: 66))
        XCTAssertEqual(a + b - b, a)
        XCTAssertEqual([a, b, a].reduce(.zero, +).prompt, 12)
    }

    func testTokenCountsSaturateInsteadOfTrapping() {
        let huge = TokenCounts(prompt: .max)
        XCTAssertEqual((huge + huge).prompt, .max)
    }

    func testAcceptanceRateIsAcceptedOverDrafted() {
        XCTAssertEqual(TokenCounts(drafted: 8, accepted: 6).acceptanceRate, 0.75)
        XCTAssertNil(TokenCounts().acceptanceRate)
    }

    func testCostsAddExactlyWhereDollarDoublesWouldDrift() {
        // 0.1 + 0.2 != 0.3 in Double dollars; in nanodollars it is exact.
        XCTAssertEqual(Cost(dollars: 0.1) + Cost(dollars: 0.2), Cost(dollars: 0.3))
        XCTAssertEqual(Cost(dollars: 0.3).nanodollars, 300_000_000)
    }

    func testCostPrintsExactDecimalsAndReadableDollars() {
        XCTAssertEqual(Cost(nanodollars: 41_667).exactDecimalString, "0.000041667")
        XCTAssertEqual(Cost(nanodollars: -1_500_000_000).exactDecimalString, "-1.500000000")
        XCTAssertEqual(Cost(nanodollars: 12_345_000_000).description, "$12.35")
        XCTAssertEqual(Cost(nanodollars: 7_000_000).description, "$0.0070")
        XCTAssertEqual(Cost(nanodollars: 41_667).description, "$0.000042")
        XCTAssertEqual(Cost.zero.description, "$0")
    }

    func testCostEncodesAsANumberOfDollarsAndDecodesToTheSameNanodollars() throws {
        let cost = Cost(nanodollars: 13_889)
        let json = String(decoding: try JSONEncoder().encode([cost]), as: UTF8.self)
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Double], [0.000013889])
        XCTAssertEqual(try JSONDecoder().decode([Cost].self, from: Data(json.utf8)), [cost])
    }

    func testRecordTimesKeepMillisecondsAndComputeKeepsMicroseconds() {
        var record = CallRecord(runID: "r", kind: .model, startedAt: Date(timeIntervalSince1970: 10.0004),
                                endedAt: Date(timeIntervalSince1970: 12.5006), computeSeconds: 0.0000014)
        XCTAssertEqual(record.startedAt, Date(timeIntervalSince1970: 10))
        XCTAssertEqual(record.endedAt, Date(timeIntervalSince1970: 12.501))
        XCTAssertEqual(record.wallSeconds, 2.501)
        XCTAssertEqual(record.computeSeconds, 0.000001)
        record.computeSeconds = 2.5
        XCTAssertEqual(record.computeSeconds, 2.5)
    }

    func testRecordJSONWritesUTCTimesAndReadsThemBackBefore1970Too() throws {
        let record = CallRecord(id: "x", runID: "r", kind: .agent, startedAt: Date(timeIntervalSince1970: -0.001),
                                endedAt: Date(timeIntervalSince1970: 951_782_400.5))  // 2000-02-29T00:00:00.500Z
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        XCTAssertTrue(json.contains(#""started_at":"1969-12-31T23:59:59.999Z""#), json)
        XCTAssertTrue(json.contains(#""ended_at":"2000-02-29T00:00:00.500Z""#), json)
        XCTAssertEqual(try JSONDecoder().decode(CallRecord.self, from: Data(json.utf8)), record)
    }
}
