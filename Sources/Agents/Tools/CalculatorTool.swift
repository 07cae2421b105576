// calculator: exact-enough arithmetic for models that cannot do it in their heads.

/// Evaluates an arithmetic expression with `Calculator`.
public struct CalculatorTool: Tool {
    public init() {}

    public var name: String { "calculator" }
    public var summary: String {
        "Evaluate an arithmetic expression, e.g. (17 + 5) * 3 or sqrt(2) ^ 2. Supports + - * / % ^, parentheses, "
            + "sqrt abs round floor ceil min max log exp, pi and e."
    }
    public var parameters: JSON {
        .objectSchema([("expression", .property("string", "The expression to evaluate"))], required: ["expression"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let expression = try arguments.string("expression")
        let value = try Calculator().evaluate(expression)
        return ToolResult(output: Calculator.format(value))
    }
}
