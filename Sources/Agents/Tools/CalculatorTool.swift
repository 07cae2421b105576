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
        // Bounded so a constrained small model cannot ramble inside the string.
        .objectSchema([("expression", ["type": "string", "description": "The expression to evaluate, like 2 * (3 + 4)",
                                       "minLength": 1, "maxLength": 80])], required: ["expression"])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let expression = try arguments.string("expression")
        let value = try Calculator().evaluate(expression)
        return ToolResult(output: Calculator.format(value))
    }
}
