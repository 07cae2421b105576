// The calculator tool's argument schema as the constraint sees it: its `expression` pattern admits the
// expressions the calculator evaluates and refuses what a small model writes instead (prose, the result).
import Agents
import Foundation
import Inference
import XCTest

final class CalculatorToolTests: XCTestCase {
    private func argumentsGrammar() throws -> Grammar {
        try JSONSchemaGrammar.grammar(schemaJSON: CalculatorTool().parameters.text)
    }

    private func arguments(_ expression: String) -> String {
        #"{"expression": ""# + expression + #""}"#
    }

    func testExpressionPatternAdmitsWhatTheCalculatorEvaluates() throws {
        let g = try argumentsGrammar()
        for expression in ["17 * 23", "17*23", "1234 + 5678", "(12 + 8) * 5", "sqrt(144)", "1000 / 8", "2 ^ 10",
                           "2**10", "900 - 357", "-3 + 4.5", "max(1, 2)", "log(8, 2)", "pi * 2", "e", "3.91",
                           "round(2.5) % 2", "abs(-(3))"] {
            XCTAssertTrue(g.matches(arguments(expression)), expression)
            XCTAssertNoThrow(try Calculator().evaluate(expression), expression)
        }
    }

    func testExpressionPatternRefusesProseAndResults() throws {
        let g = try argumentsGrammar()
        for expression in ["17 * 23 = 391", ".17 * 23", "17 times 23", "What is 17 * 23?", "", " ", "17 *",
                           "sqrt 144", "1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1"] {
            XCTAssertFalse(g.matches(arguments(expression)), expression)
        }
    }
}
