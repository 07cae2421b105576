// Arithmetic for the calculator tool: our own recursive-descent parser and evaluator over Double.
// Small models are bad at arithmetic and good at writing expressions, so the tool must explain every mistake.
import Foundation

/// Evaluates arithmetic expressions: `+ - * / % ^` (also `**`, `×`, `÷`), parentheses, unary minus, the
/// functions sqrt, abs, round, floor, ceil, min, max, log, exp and the constants pi and e.
///
/// Precedence, loosest first: `+ -`, then `* / %`, then unary `-`/`+`, then `^` (right-associative, so
/// `2^3^2` is 512 and `-2^2` is -4, as in mathematics). `log(x)` is the natural logarithm, `log(x, b)` the
/// logarithm in base b. Errors give the 1-based character position of the problem.
public struct Calculator: Sendable {
    /// Nesting deeper than this is refused (protects the stack from hostile input).
    public static let maxDepth = 100

    public init() {}

    /// The value of `expression`, or an error naming the problem and where it is.
    public func evaluate(_ expression: String) throws(AgentsError) -> Double {
        var parser = Parser(expression: expression)
        let value = try parser.parseExpression(depth: 0)
        parser.skipSpaces()
        if let c = parser.peek {
            throw parser.syntax(c == ")" ? "unmatched ')'" : "unexpected '\(c)'")
        }
        guard value.isFinite else {
            throw AgentsError.calculatorMath(expression: expression, problem: "the result is too large")
        }
        return value
    }

    /// A value written for people and models: whole numbers without a fraction, others to 12 significant digits.
    public static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.12g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Recursive descent over the characters of one expression.
    private struct Parser {
        let expression: String
        let characters: [Character]
        var index = 0

        init(expression: String) {
            self.expression = expression
            self.characters = Array(expression)
        }

        var peek: Character? { index < characters.count ? characters[index] : nil }

        func syntax(_ problem: String, at position: Int? = nil) -> AgentsError {
            .calculatorSyntax(expression: expression, position: (position ?? index) + 1, problem: problem)
        }

        func math(_ problem: String) -> AgentsError { .calculatorMath(expression: expression, problem: problem) }

        mutating func skipSpaces() {
            while let c = peek, c.isWhitespace { index += 1 }
        }

        /// expression := term (('+' | '-') term)*
        mutating func parseExpression(depth: Int) throws(AgentsError) -> Double {
            guard depth < Calculator.maxDepth else { throw syntax("expression nested too deeply") }
            var value = try parseTerm(depth: depth)
            while true {
                skipSpaces()
                guard let c = peek, c == "+" || c == "-" || c == "−" else { return value }
                index += 1
                let rhs = try parseTerm(depth: depth)
                value = c == "+" ? value + rhs : value - rhs
            }
        }

        /// term := unary (('*' | '/' | '%') unary)*
        mutating func parseTerm(depth: Int) throws(AgentsError) -> Double {
            var value = try parseUnary(depth: depth)
            while true {
                skipSpaces()
                guard let c = peek, "*×/÷%".contains(c) else { return value }
                // `**` is power, handled below unary.
                if c == "*", index + 1 < characters.count, characters[index + 1] == "*" { return value }
                index += 1
                let rhs = try parseUnary(depth: depth)
                switch c {
                case "*", "×": value *= rhs
                case "/", "÷":
                    guard rhs != 0 else { throw math("division by zero") }
                    value /= rhs
                default:
                    guard rhs != 0 else { throw math("modulo by zero") }
                    value = value.truncatingRemainder(dividingBy: rhs)
                }
            }
        }

        /// unary := ('-' | '+') unary | power
        mutating func parseUnary(depth: Int) throws(AgentsError) -> Double {
            guard depth < Calculator.maxDepth else { throw syntax("expression nested too deeply") }
            skipSpaces()
            if let c = peek, c == "-" || c == "−" || c == "+" {
                index += 1
                let operand = try parseUnary(depth: depth + 1)
                return c == "+" ? operand : -operand
            }
            return try parsePower(depth: depth)
        }

        /// power := primary (('^' | '**') unary)?   — right-associative through `unary`.
        mutating func parsePower(depth: Int) throws(AgentsError) -> Double {
            let base = try parsePrimary(depth: depth)
            skipSpaces()
            if peek == "^" {
                index += 1
            } else if peek == "*", index + 1 < characters.count, characters[index + 1] == "*" {
                index += 2
            } else {
                return base
            }
            let exponent = try parseUnary(depth: depth + 1)
            let value = Foundation.pow(base, exponent)
            guard !value.isNaN else { throw math("\(Calculator.format(base))^\(Calculator.format(exponent)) is not a real number") }
            return value
        }

        /// primary := number | '(' expression ')' | name | name '(' arguments ')'
        mutating func parsePrimary(depth: Int) throws(AgentsError) -> Double {
            skipSpaces()
            guard let c = peek else { throw syntax("expected a number, '(' or a function, found the end") }
            if c == "(" {
                let open = index
                index += 1
                let value = try parseExpression(depth: depth + 1)
                skipSpaces()
                guard peek == ")" else { throw syntax(peek == nil ? "missing ')' for the '(' at position \(open + 1)" : "expected ')'") }
                index += 1
                return value
            }
            if c.isASCII, c.isNumber || c == "." { return try parseNumber() }
            if c.isLetter || c == "_" || c == "π" { return try parseName(depth: depth) }
            throw syntax("unexpected '\(c)'")
        }

        mutating func parseNumber() throws(AgentsError) -> Double {
            let start = index
            var sawDigit = false
            while let c = peek, c.isASCII, c.isNumber { index += 1; sawDigit = true }
            if peek == "." {
                index += 1
                while let c = peek, c.isASCII, c.isNumber { index += 1; sawDigit = true }
            }
            guard sawDigit else { throw syntax("expected digits", at: start) }
            if let c = peek, c == "e" || c == "E" {
                // An exponent only if digits follow; otherwise `2e` is 2 times the constant e? Refuse clearly.
                var probe = index + 1
                if probe < characters.count, characters[probe] == "+" || characters[probe] == "-" { probe += 1 }
                if probe < characters.count, characters[probe].isASCII, characters[probe].isNumber {
                    index = probe
                    while let d = peek, d.isASCII, d.isNumber { index += 1 }
                }
            }
            let text = String(characters[start..<index])
            guard let value = Double(text) else { throw syntax("invalid number '\(text)'", at: start) }
            if let c = peek, c.isLetter || c == "(" {
                throw syntax("missing operator before '\(c)' (write 2*x, not 2x)")
            }
            return value
        }

        mutating func parseName(depth: Int) throws(AgentsError) -> Double {
            let start = index
            while let c = peek, c.isLetter || c.isNumber || c == "_" || c == "π" { index += 1 }
            let name = String(characters[start..<index]).lowercased()
            skipSpaces()
            guard peek == "(" else {
                switch name {
                case "pi", "π": return Double.pi
                case "e": return 2.718281828459045
                default:
                    if Self.functions.contains(name) { throw syntax("function '\(name)' needs '(' and arguments") }
                    throw syntax("unknown name '\(name)'; known: pi, e, " + Self.functions.joined(separator: ", "),
                                 at: start)
                }
            }
            guard Self.functions.contains(name) else {
                throw syntax("unknown function '\(name)'; known: " + Self.functions.joined(separator: ", "), at: start)
            }
            index += 1
            var arguments: [Double] = []
            skipSpaces()
            if peek == ")" {
                index += 1
            } else {
                while true {
                    arguments.append(try parseExpression(depth: depth + 1))
                    skipSpaces()
                    if peek == "," || peek == ";" { index += 1; continue }
                    if peek == ")" { index += 1; break }
                    throw syntax(peek == nil ? "missing ')' after the arguments of \(name)" : "expected ',' or ')'")
                }
            }
            return try apply(name, arguments, at: start)
        }

        static let functions = ["sqrt", "abs", "round", "floor", "ceil", "min", "max", "log", "exp"]

        func apply(_ name: String, _ a: [Double], at position: Int) throws(AgentsError) -> Double {
            func one() throws(AgentsError) -> Double {
                guard a.count == 1 else {
                    throw syntax("\(name) takes 1 argument, got \(a.count)", at: position)
                }
                return a[0]
            }
            switch name {
            case "sqrt":
                let x = try one()
                guard x >= 0 else { throw math("sqrt of a negative number (\(Calculator.format(x)))") }
                return x.squareRoot()
            case "abs": return abs(try one())
            case "round": return (try one()).rounded(.toNearestOrAwayFromZero)
            case "floor": return (try one()).rounded(.down)
            case "ceil": return (try one()).rounded(.up)
            case "exp": return Foundation.exp(try one())
            case "min", "max":
                guard !a.isEmpty else { throw syntax("\(name) needs at least 1 argument", at: position) }
                return name == "min" ? (a.min() ?? 0) : (a.max() ?? 0)
            default:  // log
                guard a.count == 1 || a.count == 2 else {
                    throw syntax("log takes 1 or 2 arguments (x, base), got \(a.count)", at: position)
                }
                guard a[0] > 0 else { throw math("log of a number ≤ 0 (\(Calculator.format(a[0])))") }
                if a.count == 1 { return Foundation.log(a[0]) }
                guard a[1] > 0, a[1] != 1 else { throw math("log base must be > 0 and not 1") }
                return Foundation.log(a[0]) / Foundation.log(a[1])
            }
        }
    }
}
