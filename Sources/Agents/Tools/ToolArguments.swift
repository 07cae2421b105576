// Typed access to a tool call's arguments, with errors that name the tool and the argument.
// Lenient where a small model is predictably sloppy: "10" for 10, 10 for "10", "true" for true.
import Foundation

/// The arguments object of one tool call.
public struct ToolArguments: Sendable, Equatable {
    public var tool: String
    public var object: JSONObject

    public init(tool: String, object: JSONObject) {
        self.tool = tool
        self.object = object
    }

    /// A required string argument (a number or boolean is accepted and written as text).
    public func string(_ key: String) throws(AgentsError) -> String {
        guard let value = try optionalString(key) else {
            throw AgentsError.invalidArgument(tool: tool, key: key, problem: "is required")
        }
        return value
    }

    public func optionalString(_ key: String) throws(AgentsError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .number(let n)?: return JSON.format(number: n)
        case .bool(let b)?: return b ? "true" : "false"
        case let other?:
            throw AgentsError.invalidArgument(tool: tool, key: key, problem: "must be a string, not \(other.typeDescription)")
        }
    }

    /// An optional integer argument within `range` (a numeric string is accepted).
    public func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(AgentsError) -> Int? {
        let number: Double
        switch object[key] {
        case nil, .null?: return nil
        case .number(let n)?: number = n
        case .string(let s)?:
            guard let n = Double(s.trimmingCharacters(in: .whitespaces)) else {
                throw AgentsError.invalidArgument(tool: tool, key: key, problem: "must be a whole number, not '\(s)'")
            }
            number = n
        case let other?:
            throw AgentsError.invalidArgument(tool: tool, key: key, problem: "must be a whole number, not \(other.typeDescription)")
        }
        guard number == number.rounded(), number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw AgentsError.invalidArgument(tool: tool, key: key,
                                              problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(JSON.format(number: number))")
        }
        return Int(number)
    }

    /// An optional boolean argument ("true"/"false" strings are accepted).
    public func optionalBool(_ key: String) throws(AgentsError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case .string(let s)? where s.lowercased() == "true": return true
        case .string(let s)? where s.lowercased() == "false": return false
        case let other?:
            throw AgentsError.invalidArgument(tool: tool, key: key, problem: "must be true or false, not \(other.text)")
        }
    }
}
