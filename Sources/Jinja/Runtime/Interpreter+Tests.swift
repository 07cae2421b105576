// jinja2's builtin tests (`is defined`, `is string`, `is mapping` …) with Python's isinstance semantics: a bool is
// a number, an Undefined is iterable and a sequence, a dict is a sequence.

extension Interpreter {
    /// Every test name jinja2 3.1 knows.
    static let knownTests: Set<String> = [
        "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none", "boolean", "false", "true",
        "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable", "callable",
        "sameas", "escaped", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", "ge", ">=", "<", "lt",
        "lessthan", "<=", "le",
    ]

    func applyTest(_ test: FilterCall, to value: JinjaValue) throws(TemplateError) -> Bool {
        try applyTest(test.name, to: value, try evaluateArguments(test.arguments), at: test.location)
    }

    /// Applies test `name`; `byName` marks a test named in a string (`select('odd')`).
    func applyTest(_ name: String, to value: JinjaValue, _ args: CallArguments, at location: SourceLocation,
                   byName: Bool = false) throws(TemplateError) -> Bool
    {
        func argument() throws(TemplateError) -> JinjaValue {
            guard let a = args.positional.first ?? args.keyword.first?.1 else {
                throw .runtime(message: "test \(pythonRepr(name)) missing a required argument", location: location)
            }
            return a
        }
        /// `value % divisor == expected`, with Python's numeric equality (0.5 % 2 is neither 0 nor 1).
        func moduloEquals(_ divisor: Int, _ expected: Int) throws(TemplateError) -> Bool {
            pythonEquals(try binary(.modulo, value, .int(divisor), at: location), .int(expected))
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value.isNone
        case "string":
            return value.stringValue != nil
        case "mapping":
            if case .object = value { return true }
            return false
        case "number":
            return value.numeric != nil
        case "integer":
            if case .int = value { return true }
            return false
        case "float":
            if case .float = value { return true }
            return false
        case "boolean":
            if case .bool = value { return true }
            return false
        case "true":
            if case .bool(true) = value { return true }
            return false
        case "false":
            if case .bool(false) = value { return true }
            return false
        case "iterable":
            switch value {
            case .undefined, .string, .markup, .array, .tuple, .object: return true
            case .opaque(let o):
                switch o.kind {
                case .generator, .loop, .view, .range: return true
                default: return false
                }
            default: return false
            }
        case "sequence":
            switch value {
            case .undefined, .string, .markup, .array, .tuple, .object: return true
            case .opaque(let o):
                switch o.kind {
                case .loop, .range: return true
                default: return false
                }
            default: return false
            }
        case "callable":
            switch value {
            case .undefined: return true
            case .opaque(let o):
                switch o.kind {
                case .macro, .builtin, .method, .loop: return true
                default: return false
                }
            default: return false
            }
        case "escaped":
            if case .markup = value { return true }
            return false
        case "lower":
            let s = value.pythonString
            let cased = s.unicodeScalars.filter(PyString.isCased)
            return !cased.isEmpty && cased.allSatisfy { !$0.properties.isUppercase
                && $0.properties.generalCategory != .titlecaseLetter }
        case "upper":
            let s = value.pythonString
            let cased = s.unicodeScalars.filter(PyString.isCased)
            return !cased.isEmpty && cased.allSatisfy { !$0.properties.isLowercase
                && $0.properties.generalCategory != .titlecaseLetter }
        case "odd": return try moduloEquals(2, 1)
        case "even": return try moduloEquals(2, 0)
        case "divisibleby":
            return pythonEquals(try binary(.modulo, value, try argument(), at: location), .int(0))
        case "sameas":
            let other = try argument()
            switch (value, other) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.undefined, _), (_, .undefined): return false
            case (.opaque(let a), .opaque(let b)): return a == b
            case (.int(let a), .int(let b)): return a == b && (-5...256).contains(a)
            default: return false
            }
        case "in":
            return try contains(try argument(), value, at: location)
        case "==", "eq", "equalto": return try compare(.equal, value, try argument(), at: location)
        case "!=", "ne": return try compare(.notEqual, value, try argument(), at: location)
        case ">", "gt", "greaterthan": return try compare(.greater, value, try argument(), at: location)
        case ">=", "ge": return try compare(.greaterOrEqual, value, try argument(), at: location)
        case "<", "lt", "lessthan": return try compare(.less, value, try argument(), at: location)
        case "<=", "le": return try compare(.lessOrEqual, value, try argument(), at: location)
        case "filter":
            return value.stringValue.map { Self.knownFilters.contains($0) } ?? false
        case "test":
            return value.stringValue.map { Self.knownTests.contains($0) } ?? false
        default:
            throw .runtime(message: "No test named \(pythonRepr(name))\(byName ? "." : " found.")", location: location)
        }
    }
}
