// Expression evaluation: literals, names, operators with Python's semantics and error messages, conditionals.
import Foundation

extension Interpreter {
    func evaluate(_ expr: Expr) throws(TemplateError) -> JinjaValue {
        switch expr.kind {
        case .literal(let value):
            return value
        case .name(let name):
            return lookup(name)
        case .list(let items):
            var values: [JinjaValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .tuple(let items):
            var values: [JinjaValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .tuple(values)
        case .dict(let entries):
            var object = JinjaObject()
            for entry in entries {
                let key = try evaluate(entry.key)
                guard pythonHashKey(key) != nil else {
                    throw .runtime(message: "unhashable type: '\(key.pythonTypeName)'", location: entry.key.location)
                }
                object[key: key] = try evaluate(entry.value)
            }
            return .object(object)
        case .attribute(let base, let name):
            let value = try evaluate(base)
            if case .undefined(let u) = value { throw undefinedError(u, base.location) }
            return try attribute(of: value, name, at: expr.location)
        case .item(let base, let index):
            let value = try evaluate(base)
            if case .undefined(let u) = value { throw undefinedError(u, base.location) }
            if case .slice(let start, let stop, let step) = index.kind {
                return try slice(value, start.map { e throws(TemplateError) in try evaluate(e) },
                                 stop.map { e throws(TemplateError) in try evaluate(e) },
                                 step.map { e throws(TemplateError) in try evaluate(e) }, at: expr.location)
            }
            return try item(of: value, try evaluate(index), at: expr.location)
        case .slice:
            throw .syntax(message: "slice outside of a subscript", location: expr.location)
        case .call(let callee, let arguments):
            let function = try evaluate(callee)
            return try call(function, try evaluateArguments(arguments), at: expr.location)
        case .filter(let base, let filter):
            return try applyFilter(filter, to: try evaluate(base))
        case .test(let base, let test, let negated):
            let result = try applyTest(test, to: try evaluate(base))
            return .bool(negated ? !result : result)
        case .negate(let operand):
            return try unary("-", try evaluate(operand), at: expr.location)
        case .plus(let operand):
            return try unary("+", try evaluate(operand), at: expr.location)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .binary(let op, let left, let right):
            return try binary(op, try evaluate(left), try evaluate(right), at: expr.location)
        case .concat(let parts):
            var text = ""
            for part in parts { text += try display(try evaluate(part), at: part.location) }
            return .string(text)
        case .compare(let first, let comparisons):
            var left = try evaluate(first)
            for comparison in comparisons {
                let right = try evaluate(comparison.operand)
                if !(try compare(comparison.op, left, right, at: comparison.operand.location)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let left, let right):
            let l = try evaluate(left)
            return l.isTruthy ? try evaluate(right) : l
        case .or(let left, let right):
            let l = try evaluate(left)
            return l.isTruthy ? l : try evaluate(right)
        case .conditional(let test, let then, let otherwise):
            if try evaluate(test).isTruthy { return try evaluate(then) }
            if let otherwise { return try evaluate(otherwise) }
            return .undefined(JinjaUndefined(message: "the inline if-expression on line \(expr.location.line)"
                + " evaluated to false and no else section was defined."))
        }
    }

    /// Evaluates call arguments, expanding `*args` and `**kwargs`.
    func evaluateArguments(_ arguments: Arguments) throws(TemplateError) -> CallArguments {
        var args = CallArguments()
        for e in arguments.positional { args.positional.append(try evaluate(e)) }
        if let spread = arguments.spread {
            args.positional += try iterate(try evaluate(spread), at: spread.location)
        }
        for k in arguments.keyword { args.keyword.append((k.name, try evaluate(k.value))) }
        if let spread = arguments.keywordSpread {
            guard case .object(let o) = try evaluate(spread) else {
                throw .runtime(message: "argument after ** must be a mapping", location: spread.location)
            }
            for (k, v) in o.entries { args.keyword.append((k.pythonString, v)) }
        }
        return args
    }

    // MARK: - Operators

    func unary(_ op: String, _ value: JinjaValue, at location: SourceLocation) throws(TemplateError) -> JinjaValue {
        if case .undefined(let u) = value { throw undefinedError(u, location) }
        switch value.numeric {
        case .int(let i)?:
            if op == "+" { return .int(i) }
            let (r, overflow) = (0).subtractingReportingOverflow(i)
            if overflow { throw .unsupported(construct: "integer beyond 64 bits", location: location) }
            return .int(r)
        case .float(let f)?:
            return .float(op == "-" ? -f : f)
        case nil:
            throw .runtime(message: "bad operand type for unary \(op): '\(value.pythonTypeName)'", location: location)
        }
    }

    func binary(_ op: BinaryOperator, _ a: JinjaValue, _ b: JinjaValue, at location: SourceLocation)
        throws(TemplateError) -> JinjaValue
    {
        if case .undefined(let u) = a { throw undefinedError(u, location) }
        if op == .modulo, case .string(let format) = a {
            // str.__mod__ handles an undefined argument itself: `'%s' % missing` prints "".
            return .string(try percentFormat(format, b, at: location))
        }
        if case .undefined(let u) = b { throw undefinedError(u, location) }
        if let x = a.numeric, let y = b.numeric {
            return try arithmetic(op, x, y, at: location)
        }
        let symbol = op == .power ? "** or pow()" : op.rawValue
        let unsupported = TemplateError.runtime(
            message: "unsupported operand type(s) for \(symbol): '\(a.pythonTypeName)' and '\(b.pythonTypeName)'",
            location: location)
        switch op {
        case .add:
            switch (a, b) {
            case (.string(let x), .string(let y)): return .string(x + y)
            case (.markup(let x), .string(let y)): return .markup(x + htmlEscape(y))
            case (.string(let x), .markup(let y)): return .markup(htmlEscape(x) + y)
            case (.markup(let x), .markup(let y)): return .markup(x + y)
            case (.string, _):
                throw .runtime(message: "can only concatenate str (not \"\(b.pythonTypeName)\") to str",
                               location: location)
            case (.array(let x), .array(let y)): return .array(x + y)
            case (.array, _):
                throw .runtime(message: "can only concatenate list (not \"\(b.pythonTypeName)\") to list",
                               location: location)
            case (.tuple(let x), .tuple(let y)): return .tuple(x + y)
            case (.tuple, _):
                throw .runtime(message: "can only concatenate tuple (not \"\(b.pythonTypeName)\") to tuple",
                               location: location)
            default: throw unsupported
            }
        case .multiply:
            // Python's sequence repetition: str, Markup, list or tuple times an int (bools count as ints).
            func isSequence(_ v: JinjaValue) -> Bool {
                switch v {
                case .string, .markup, .array, .tuple: return true
                default: return false
                }
            }
            func repeated(_ sequence: JinjaValue, _ times: Int) throws(TemplateError) -> JinjaValue {
                let n = max(0, times)
                let unit: Int
                switch sequence {
                case .string(let s), .markup(let s): unit = s.utf8.count
                case .array(let items), .tuple(let items): unit = items.count
                default: unit = 0
                }
                if unit > 0 && n > Interpreter.maxRepetition / unit {
                    throw .runtime(message: "repetition result too large (more than \(Interpreter.maxRepetition)"
                        + " characters or items)", location: location)
                }
                switch sequence {
                case .string(let s): return .string(String(repeating: s, count: n))
                case .markup(let s): return .markup(String(repeating: s, count: n))
                case .array(let items): return .array(Array([[JinjaValue]](repeating: items, count: n).joined()))
                case .tuple(let items): return .tuple(Array([[JinjaValue]](repeating: items, count: n).joined()))
                default: return sequence
                }
            }
            if isSequence(a) {
                if case .int(let n)? = b.numeric { return try repeated(a, n) }
                throw .runtime(message: "can't multiply sequence by non-int of type '\(b.pythonTypeName)'",
                               location: location)
            }
            if isSequence(b) {
                if case .int(let n)? = a.numeric { return try repeated(b, n) }
                throw .runtime(message: "can't multiply sequence by non-int of type '\(a.pythonTypeName)'",
                               location: location)
            }
            throw unsupported
        case .modulo:
            if case .string(let format) = a {
                return .string(try percentFormat(format, b, at: location))
            }
            if case .markup(let format) = a {
                return .markup(try percentFormat(format, escapeArguments(b), at: location))
            }
            throw unsupported
        default:
            throw unsupported
        }
    }

    private func escapeArguments(_ v: JinjaValue) -> JinjaValue {
        switch v {
        case .string(let s): return .markup(htmlEscape(s))
        case .tuple(let items): return .tuple(items.map(escapeArguments))
        default: return v
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ x: JinjaValue.Numeric, _ y: JinjaValue.Numeric,
                            at location: SourceLocation) throws(TemplateError) -> JinjaValue
    {
        let overflow = TemplateError.unsupported(construct: "integer beyond 64 bits", location: location)
        if case .int(let i) = x, case .int(let j) = y {
            switch op {
            case .add:
                let (r, o) = i.addingReportingOverflow(j)
                if o { throw overflow }
                return .int(r)
            case .subtract:
                let (r, o) = i.subtractingReportingOverflow(j)
                if o { throw overflow }
                return .int(r)
            case .multiply:
                let (r, o) = i.multipliedReportingOverflow(by: j)
                if o { throw overflow }
                return .int(r)
            case .divide:
                if j == 0 { throw .runtime(message: "division by zero", location: location) }
                return .float(Double(i) / Double(j))
            case .floorDivide:
                if j == 0 { throw .runtime(message: "integer division or modulo by zero", location: location) }
                if i == Int.min && j == -1 { throw overflow }
                return .int(floorDivide(i, j))
            case .modulo:
                if j == 0 { throw .runtime(message: "integer modulo by zero", location: location) }
                if j == -1 { return .int(0) }
                return .int(i - floorDivide(i, j) * j)
            case .power:
                if j < 0 {
                    if i == 0 {
                        throw .runtime(message: "0.0 cannot be raised to a negative power", location: location)
                    }
                    return .float(pow(Double(i), Double(j)))
                }
                var result = 1
                var base = i
                var exponent = j
                while exponent > 0 {
                    if exponent & 1 == 1 {
                        let (r, o) = result.multipliedReportingOverflow(by: base)
                        if o { throw overflow }
                        result = r
                    }
                    exponent >>= 1
                    if exponent > 0 {
                        let (b2, o) = base.multipliedReportingOverflow(by: base)
                        if o { throw overflow }
                        base = b2
                    }
                }
                return .int(result)
            }
        }
        let p = x.double
        let q = y.double
        switch op {
        case .add: return .float(p + q)
        case .subtract: return .float(p - q)
        case .multiply: return .float(p * q)
        case .divide:
            if q == 0 { throw .runtime(message: "float division by zero", location: location) }
            return .float(p / q)
        case .floorDivide:
            if q == 0 { throw .runtime(message: "float floor division by zero", location: location) }
            return .float((p / q).rounded(.down))
        case .modulo:
            if q == 0 { throw .runtime(message: "float modulo", location: location) }
            var r = p.truncatingRemainder(dividingBy: q)
            if r != 0 && (r < 0) != (q < 0) { r += q }
            return .float(r)
        case .power:
            if p == 0 && q < 0 {
                throw .runtime(message: "0.0 cannot be raised to a negative power", location: location)
            }
            return .float(pow(p, q))
        }
    }

    private func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    // MARK: - Comparisons

    func compare(_ op: Comparison.Operator, _ a: JinjaValue, _ b: JinjaValue, at location: SourceLocation)
        throws(TemplateError) -> Bool
    {
        switch op {
        case .equal: return pythonEquals(a, b)
        case .notEqual: return !pythonEquals(a, b)
        case .contains: return try contains(b, a, at: location)
        case .notContains: return !(try contains(b, a, at: location))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order: Int
            do {
                order = try pythonCompare(a, b, op: op.rawValue)
            } catch {
                throw located(error, location)
            }
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    /// Python's `needle in container`.
    func contains(_ container: JinjaValue, _ needle: JinjaValue, at location: SourceLocation) throws(TemplateError)
        -> Bool
    {
        switch container {
        case .string(let s), .markup(let s):
            guard let n = needle.stringValue else {
                throw .runtime(message: "'in <string>' requires string as left operand, not \(needle.pythonTypeName)",
                               location: location)
            }
            return PyString.find(s, n) != nil
        case .array(let items), .tuple(let items):
            return items.contains { pythonEquals($0, needle) }
        case .object(let o):
            guard pythonHashKey(needle) != nil else {
                throw .runtime(message: "unhashable type: '\(needle.pythonTypeName)'", location: location)
            }
            return o[key: needle] != nil
        case .undefined:
            return false
        case .opaque(let o):
            if let items = o.reusableItems { return items.contains { pythonEquals($0, needle) } }
            if case .generator(let id, _) = o.kind {
                while !generators[id].isEmpty {
                    if pythonEquals(generators[id].removeFirst(), needle) { return true }
                }
                return false
            }
            if case .namespace = o.kind {
                throw .runtime(message: "argument of type 'Namespace' is not iterable", location: location)
            }
            throw .runtime(message: "argument of type '\(container.pythonTypeName)' is not iterable",
                           location: location)
        default:
            throw .runtime(message: "argument of type '\(container.pythonTypeName)' is not iterable",
                           location: location)
        }
    }
}

/// Python keyword-and-positional arguments after evaluation.
struct CallArguments {
    var positional: [JinjaValue] = []
    var keyword: [(String, JinjaValue)] = []

    /// The argument at `position`, or passed as `name`.
    func value(_ position: Int, _ name: String) -> JinjaValue? {
        if position < positional.count { return positional[position] }
        return keyword.last { $0.0 == name }?.1
    }
}
