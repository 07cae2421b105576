// The price sheet: cost arithmetic on hand-computed numbers, the repository's sheet, and errors that name
// the file, line and key.
import Foundation
import Ledger
import TestSupport
import XCTest

final class PriceSheetTests: XCTestCase {
    let sheet = PriceSheet(date: "2025-07-01", machineDollarsPerHour: 0.10, defaultComparisonModel: "gpt-4o",
                           models: [
                               .init(name: "gpt-4o", input: 2.50, cachedInput: 1.25, output: 10.00),
                               .init(name: "gemini-2.5-pro", input: 1.25, cachedInput: 0.31, output: 10.00),
                               .init(name: "no-cache-discount", input: 1.00, output: 2.00),
                               .init(name: "sub-nano", input: 0.0004, output: 0.0004),
                           ])

    func testCloudCostChargesUncachedCachedAndGeneratedTokensAtTheirOwnRates() throws {
        // (1000 − 400) × 2.50 + 400 × 1.25 + 500 × 10.00 = 1500 + 500 + 5000 = 7000 $ per 1M → $0.007
        let cost = try sheet.cloudCost(of: TokenCounts(prompt: 1000, cached: 400, generated: 500))
        XCTAssertEqual(cost, Cost(nanodollars: 7_000_000))
        XCTAssertEqual(cost.exactDecimalString, "0.007000000")
    }

    func testCloudCostRoundsOnceToNanodollarsAfterSumming() throws {
        // 0.0004 $/1M is 0.4 nanodollars a token: 5 tokens are 2 nanodollars (rounding each token would give 0).
        let cost = try sheet.cloudCost(of: TokenCounts(prompt: 5), on: "sub-nano")
        XCTAssertEqual(cost, Cost(nanodollars: 2))
    }

    func testCachedInputDefaultsToInputPrice() throws {
        let cost = try sheet.cloudCost(of: TokenCounts(prompt: 1_000_000, cached: 1_000_000), on: "no-cache-discount")
        XCTAssertEqual(cost, Cost(nanodollars: 1_000_000_000))
    }

    func testLocalCostIsComputeSecondsTimesMachinePricePerHour() {
        // 36 s × 0.10 $/h ÷ 3600 = $0.001
        XCTAssertEqual(sheet.localCost(computeSeconds: 36), Cost(nanodollars: 1_000_000))
        // One hour at 0.10 $/h is ten cents exactly.
        XCTAssertEqual(sheet.localCost(computeSeconds: 3600), Cost(nanodollars: 100_000_000))
    }

    func testPricedFillsLocalAndCloudCostAndComparisonModel() throws {
        let call = CallRecord(runID: "r", kind: .model, startedAt: baseTime, endedAt: baseTime,
                              tokens: TokenCounts(prompt: 1000, cached: 400, generated: 500), computeSeconds: 36)
        let priced = try sheet.priced(call, against: "gemini-2.5-pro")
        XCTAssertEqual(priced.localCost, Cost(nanodollars: 1_000_000))
        // 600 × 1.25 + 400 × 0.31 + 500 × 10 = 750 + 124 + 5000 = 5874 $ per 1M
        XCTAssertEqual(priced.cloudCost, Cost(nanodollars: 5_874_000))
        XCTAssertEqual(priced.cloudModel, "gemini-2.5-pro")
        XCTAssertEqual(try sheet.priced(call).cloudModel, "gpt-4o")
    }

    func testUnknownCloudModelListsTheKnownOnes() {
        XCTAssertThrowsError(try sheet.cloudCost(of: .zero, on: "gpt-9")) { error in
            XCTAssertEqual("\(error)", "no price for the cloud model 'gpt-9' in (built in code): add it under "
                + "'models' or pick one of: gemini-2.5-pro, gpt-4o, no-cache-discount, sub-nano")
        }
    }

    func testRepositorySheetLoadsWithItsDateMachinePriceAndCommonModels() throws {
        let url = TestResources.repositoryRoot.appendingPathComponent("pricing/prices.yaml")
        let sheet = try PriceSheet.load(from: url)
        XCTAssertEqual(sheet.date, "2025-07-01")
        XCTAssertEqual(sheet.machineDollarsPerHour, 0.10)
        for name in ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "claude-sonnet-4", "claude-3.5-haiku",
                     "gemini-2.5-flash", "gemini-2.5-pro"] {
            XCTAssertNotNil(sheet.models[name], "\(name) missing from pricing/prices.yaml")
        }
        XCTAssertNotNil(sheet.models[sheet.defaultComparisonModel])
        let mini = try sheet.price(of: "gpt-4o-mini")
        XCTAssertEqual(mini.input, 0.15)
        XCTAssertEqual(mini.cachedInput, 0.075)
        XCTAssertEqual(mini.output, 0.60)
    }

    func testDefaultLocationsPutTheEnvironmentVariableFirstAndTheRepositoryLast() {
        let locations = PriceSheet.searchLocations(
            environment: ["TOKENWORKS_PRICES": "/etc/p.yaml", "XDG_CONFIG_HOME": "/cfg"],
            currentDirectory: URL(fileURLWithPath: "/repo"))
        XCTAssertEqual(locations.map(\.path), ["/etc/p.yaml", "/cfg/tokenworks/prices.yaml", "/repo/pricing/prices.yaml"])
    }

    // MARK: Errors name file, line and key

    let valid = """
        date: 2025-07-01
        compare_with: gpt-4o
        machine:
          dollars_per_hour: 0.10
        models:
          gpt-4o:
            input: 2.50
            cached_input: 1.25
            output: 10.00
        """

    func parseError(_ yaml: String) -> String {
        do {
            _ = try PriceSheet.parse(yaml: yaml, file: "prices.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    func testValidSheetParses() throws {
        let sheet = try PriceSheet.parse(yaml: valid, file: "prices.yaml")
        XCTAssertEqual(try sheet.price(of: "gpt-4o").output, 10.0)
        XCTAssertEqual(sheet.file, "prices.yaml")
    }

    func testMissingPriceNamesTheModelKeyAndItsLine() {
        let yaml = valid.replacingOccurrences(of: "    output: 10.00", with: "")
        XCTAssertEqual(parseError(yaml), "prices.yaml:6: the price sheet needs the key 'models.gpt-4o.output'")
    }

    func testNonNumericPriceNamesKeyLineAndValue() {
        let yaml = valid.replacingOccurrences(of: "input: 2.50", with: "input: cheap")
        XCTAssertEqual(parseError(yaml), "prices.yaml:7: 'models.gpt-4o.input' must be a number of dollars ≥ 0, found 'cheap'")
    }

    func testNegativeMachinePriceIsRejected() {
        let yaml = valid.replacingOccurrences(of: "dollars_per_hour: 0.10", with: "dollars_per_hour: -1")
        XCTAssertEqual(parseError(yaml), "prices.yaml:4: 'machine.dollars_per_hour' must be a number of dollars ≥ 0, found '-1'")
    }

    func testMisspelledKeyIsNamedWithTheAllowedOnes() {
        let yaml = valid.replacingOccurrences(of: "output: 10.00", with: "outptu: 10.00")
        XCTAssertEqual(parseError(yaml), "prices.yaml:9: unknown key 'models.gpt-4o.outptu' (expected one of: "
            + "input, cached_input, output, note)")
    }

    func testComparisonModelMustBeListed() {
        let yaml = valid.replacingOccurrences(of: "compare_with: gpt-4o", with: "compare_with: gpt-5")
        XCTAssertEqual(parseError(yaml), "prices.yaml:2: 'compare_with' must be one of the models listed under "
            + "'models' (gpt-4o), found 'gpt-5'")
    }

    func testMalformedDateIsRejected() {
        let yaml = valid.replacingOccurrences(of: "date: 2025-07-01", with: "date: July 2025")
        XCTAssertEqual(parseError(yaml), "prices.yaml:1: 'date' must be a date like 2025-07-01, found 'July 2025'")
    }

    func testDuplicateModelIsRejected() {
        let yaml = valid + "\n  gpt-4o:\n    input: 1\n    output: 2\n"
        XCTAssertEqual(parseError(yaml), "prices.yaml:10: 'models.gpt-4o' is given twice; keep one")
    }

    func testYAMLSyntaxErrorGivesLineAndColumn() {
        let yaml = valid.replacingOccurrences(of: "    input: 2.50", with: "    input: 2.50\n   stray: 1")
        XCTAssertEqual(parseError(yaml), "prices.yaml:8:4: the price sheet is not valid YAML: "
            + "did not find expected key (while parsing a block mapping)")
    }

    func testMissingFileIsReportedWithItsPath() {
        XCTAssertThrowsError(try PriceSheet.load(from: URL(fileURLWithPath: "/nonexistent/prices.yaml"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot read the price sheet /nonexistent/prices.yaml: "), "\(error)")
        }
    }
}
