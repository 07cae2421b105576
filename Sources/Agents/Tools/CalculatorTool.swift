// calculator: exact-enough arithmetic for models that cannot do it in their heads.

/// Evaluates an arithmetic expression with `Calculator`.
public struct CalculatorTool: Tool {
    /// Independent of other calls in the same reply (read-only, or its own sub-agent run).
    public var runsConcurrently: Bool { true }
    public init() {}

    public var name: String { "calculator" }
    public var summary: String {
        "Evaluate an arithmetic expression with + - * / % ^, parentheses, sqrt abs round floor ceil min max "
            + "log exp, pi and e."
    }
    public var parameters: JSON {
        .objectSchema([("expression", ["type": "string", "description": "The expression to evaluate, like 2 * (3 + 4)",
                                       "pattern": .string(Self.expressionPattern)])], required: ["expression"])
    }

    /// The shape of an expression: operands (numbers, pi, e, each after any unary minus, '(' or function call
    /// opening) joined by operators or commas, closing parentheses after operands, single spaces around. Under a
    /// grammar a small model then cannot start with a stray '.', write words ("17 times 23") or append the
    /// result (`17 * 23 = 381.`): at '=' it has to close the string. Parentheses are not balanced (a regex
    /// cannot count); the calculator reports those mistakes. Every repetition is bounded, so is the length.
    public static let expressionPattern: String = {
        let function = "(?:sqrt|abs|round|floor|ceil|min|max|log|exp)\\("
        let opening = "(?:[-(] ?|\(function) ?){0,6}"
        let value = "(?:[0-9]{1,15}(?:\\.[0-9]{1,10})?|pi|e)"
        let closing = "(?: ?\\)){0,6}"
        let operand = opening + value + closing
        let joiner = " ?(?:[-+*/%^,]|\\*\\*) ?"
        return "^ ?" + operand + "(?:" + joiner + operand + "){0,12} ?$"
    }()

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let expression = try arguments.string("expression")
        let value = try Calculator().evaluate(expression)
        return ToolResult(output: Calculator.format(value))
    }
}
