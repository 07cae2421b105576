// The calculator's arithmetic, precedence and error messages (with 1-based positions).
import Agents
import XCTest

final class CalculatorTests: XCTestCase {
    private func value(_ expression: String) throws -> Double { try Calculator().evaluate(expression) }

    func testPrecedenceOfAdditionAndMultiplication() throws {
        XCTAssertEqual(try value("2 + 3 * 4"), 14)
        XCTAssertEqual(try value("(2 + 3) * 4"), 20)
        XCTAssertEqual(try value("10 - 4 - 3"), 3)
        XCTAssertEqual(try value("100 / 10 / 5"), 2)
    }

    func testPowerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws {
        XCTAssertEqual(try value("2 ^ 3 ^ 2"), 512)
        XCTAssertEqual(try value("-2 ^ 2"), -4)
        XCTAssertEqual(try value("2 ^ -1"), 0.5)
        XCTAssertEqual(try value("2 ** 10"), 1024)
    }

    func testModuloAndUnaryMinus() throws {
        XCTAssertEqual(try value("17 % 5"), 2)
        XCTAssertEqual(try value("-(3 - 5)"), 2)
        XCTAssertEqual(try value("--3"), 3)
    }

    func testFunctionsAndConstants() throws {
        XCTAssertEqual(try value("sqrt(16) + abs(-3)"), 7)
        XCTAssertEqual(try value("round(2.5) + floor(2.7) + ceil(2.1)"), 8)
        XCTAssertEqual(try value("min(4, 2, 8) + max(1, 9)"), 11)
        XCTAssertEqual(try value("log(e)"), 1, accuracy: 1e-12)
        XCTAssertEqual(try value("log(1000, 10)"), 3, accuracy: 1e-12)
        XCTAssertEqual(try value("exp(0)"), 1)
        XCTAssertEqual(try value("pi"), Double.pi)
        XCTAssertEqual(try value("2 × 3 ÷ 4"), 1.5)
    }

    func testScientificNotation() throws {
        XCTAssertEqual(try value("1.5e3 + 2E-1"), 1500.2)
    }

    func testFormattingDropsNoiseDigits() {
        XCTAssertEqual(Calculator.format(42), "42")
        XCTAssertEqual(Calculator.format(0.1 + 0.2), "0.3")
        XCTAssertEqual(Calculator.format(1.0 / 3.0), "0.333333333333")
        XCTAssertEqual(Calculator.format(-2.5), "-2.5")
    }

    func testDivisionByZeroIsAnError() {
        XCTAssertEqual(agentsError { try value("1 / (2 - 2)") }?.description,
                       "calculator: division by zero in '1 / (2 - 2)'")
    }

    func testUnmatchedParenthesisGivesItsPosition() {
        XCTAssertEqual(agentsError { try value("(1 + 2") }?.description,
                       "calculator: missing ')' for the '(' at position 1 at position 7 in '(1 + 2'")
        XCTAssertEqual(agentsError { try value("1 + 2)") },
                       .calculatorSyntax(expression: "1 + 2)", position: 6, problem: "unmatched ')'"))
    }

    func testUnknownFunctionNamesTheKnownOnes() {
        XCTAssertEqual(agentsError { try value("2 + sin(1)") },
                       .calculatorSyntax(expression: "2 + sin(1)", position: 5,
                                         problem: "unknown function 'sin'; known: sqrt, abs, round, floor, ceil, min, max, log, exp"))
    }

    func testMissingOperandAtTheEnd() {
        XCTAssertEqual(agentsError { try value("3 *") },
                       .calculatorSyntax(expression: "3 *", position: 4,
                                         problem: "expected a number, '(' or a function, found the end"))
    }

    func testImplicitMultiplicationIsRefused() {
        XCTAssertEqual(agentsError { try value("2pi") },
                       .calculatorSyntax(expression: "2pi", position: 2,
                                         problem: "missing operator before 'p' (write 2*x, not 2x)"))
    }

    func testSquareRootOfNegativeIsAnError() {
        XCTAssertEqual(agentsError { try value("sqrt(-4)") }?.description,
                       "calculator: sqrt of a negative number (-4) in 'sqrt(-4)'")
    }

    func testWrongArgumentCount() {
        XCTAssertEqual(agentsError { try value("sqrt(1, 2)") },
                       .calculatorSyntax(expression: "sqrt(1, 2)", position: 1, problem: "sqrt takes 1 argument, got 2"))
    }

    func testOverflowIsAnError() {
        XCTAssertEqual(agentsError { try value("10 ^ 400") }?.description,
                       "calculator: the result is too large in '10 ^ 400'")
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        guard case .calculatorSyntax(_, _, let problem)? = agentsError({ try value(deep) }) else { return }
        XCTAssertEqual(problem, "expression nested too deeply")
    }
}
