// The runtime's resource budgets, measured from inside a real `tokenworks ask --timing` process on the default
// model: resident memory while generating and the time from process start to the first token (issue #3).
import Foundation
import TestSupport
import XCTest

final class ResourceBudgetTests: XCTestCase {
    /// One `ask --timing` run: its report lines (stderr) and the answer, or a failure with the output.
    private func askWithTiming() throws -> String {
        let binary = try ChatHarness.locateBinary()
        let model = try TestResources.requireDefaultModel()
        let (status, output) = TestResources.run(binary.path, ["ask", "--timing", "--max-tokens", "16", "-m", model,
                                                              "What is the capital of France?"])
        XCTAssertEqual(status, 0, output)
        return output
    }

    /// The first number after `label` in `text` (e.g. "resident " → 140.9), or nil.
    private func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        return Double(digits)
    }

    /// Resident memory after generating stays within the model file + the KV cache + 64 MiB (the budget the
    /// report computes from the file's size and the cache's allocation). Measured: 141 MiB against 160.6 MiB;
    /// keeping a second copy of the weights (file pages not released after repacking) would add ~94 MiB.
    func testResidentMemoryWhileGeneratingStaysWithinFilePlusCachePlus64MiB() throws {
        let output = try askWithTiming()
        let resident = try XCTUnwrap(number(after: "resident ", in: output), "no resident line in: \(output)")
        let budget = try XCTUnwrap(number(after: "budget ", in: output), "no budget in: \(output)")
        XCTAssertLessThanOrEqual(resident, budget, output)
    }

    /// Process start → first generated token for a short prompt. The target is 0.5 s on a quiet machine (measured
    /// 0.23-0.41 s, bench/RESULTS.md); the bound here is 4× that, for test runs sharing the machine, and still
    /// fails if loading goes wrong in kind (e.g. a full pass over the weights in debug-speed code, ~seconds).
    func testFirstTokenComesWithinTwoSecondsOfProcessStart() throws {
        let output = try askWithTiming()
        XCTAssertTrue(output.contains("timing (from process start)"), "start time not read from the OS: \(output)")
        let first = try XCTUnwrap(number(after: "first token ", in: output), "no first token in: \(output)")
        XCTAssertLessThan(first, 2.0, output)
    }
}
