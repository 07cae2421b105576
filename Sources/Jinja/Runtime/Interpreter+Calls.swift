// Calling things: macros (with jinja2's argument rules), the globals Hugging Face provides (raise_exception,
// strftime_now, namespace, range, dict), bound Python methods and `loop.cycle` / recursive `loop(...)`.
import Foundation

extension Interpreter {
    func call(_ function: JinjaValue, _ args: CallArguments, at location: SourceLocation) throws(TemplateError)
        -> JinjaValue
    {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw .runtime(message: "maximum recursion depth exceeded", location: location)
        }
        switch function {
        case .undefined(let u):
            throw undefinedError(u, location)
        case .opaque(let o):
            switch o.kind {
            case .macro(let m): return try callMacro(m, args, at: location)
            case .builtin(let b): return try callBuiltin(b, args, at: location)
            case .method(let receiver, let name): return try callMethod(receiver, name, args, at: location)
            case .loop(let info):
                guard info.loop.recursive else {
                    throw .runtime(message: "Tried to call non recursive loop.  Maybe you forgot the 'recursive'"
                        + " modifier.", location: location)
                }
                guard args.positional.count == 1 else {
                    throw .runtime(message: "loop() takes exactly 1 argument", location: location)
                }
                let saved = current
                current = info.frame
                defer { current = saved }
                return .string(try capture { () throws(TemplateError) in
                    try runLoop(info.loop, over: args.positional[0], depth0: info.depth0 + 1)
                })
            default:
                break
            }
        default:
            break
        }
        throw .runtime(message: "'\(function.pythonTypeName)' object is not callable", location: location)
    }

    // MARK: - Macros

    private func callMacro(_ macro: MacroValue, _ args: CallArguments, at location: SourceLocation)
        throws(TemplateError) -> JinjaValue
    {
        let definition = macro.definition
        let name = pythonRepr(definition.name)
        var keywords = args.keyword
        func popKeyword(_ key: String) -> JinjaValue? {
            guard let i = keywords.lastIndex(where: { $0.0 == key }) else { return nil }
            let value = keywords[i].1
            keywords.removeAll { $0.0 == key }
            return value
        }
        var bound: [JinjaValue?] = []
        for (i, _) in definition.parameters.enumerated() where i < args.positional.count {
            bound.append(args.positional[i])
        }
        for parameter in definition.parameters.dropFirst(bound.count) {
            bound.append(popKeyword(parameter.name))
        }
        var caller: JinjaValue? = nil
        if definition.usesCaller && !definition.parameters.contains(where: { $0.name == "caller" }) {
            caller = popKeyword("caller") ?? .undefined(JinjaUndefined(message: "No caller defined"))
        }
        var extraKeywords = JinjaObject()
        if definition.usesKwargs {
            for (k, v) in keywords { extraKeywords[k] = v }
        } else if let first = keywords.first {
            if keywords.contains(where: { $0.0 == "caller" }) {
                throw .runtime(message: "macro \(name) was invoked with two values for the special caller argument."
                    + " This is most likely a bug.", location: location)
            }
            throw .runtime(message: "macro \(name) takes no keyword argument \(pythonRepr(first.0))", location: location)
        }
        let extraPositional = Array(args.positional.dropFirst(definition.parameters.count))
        if !definition.usesVarargs && !extraPositional.isEmpty {
            throw .runtime(message: "macro \(name) takes not more than \(definition.parameters.count) argument(s)",
                           location: location)
        }
        let saved = current
        current = macro.frame
        defer { current = saved }
        return try inChildFrame(of: macro.frame) { () throws(TemplateError) -> JinjaValue in
            for (parameter, value) in zip(definition.parameters, bound) {
                if let value {
                    frames[current].vars[parameter.name] = value
                } else if let defaultValue = parameter.defaultValue {
                    frames[current].vars[parameter.name] = try evaluate(defaultValue)
                } else {
                    frames[current].vars[parameter.name] = .undefined(JinjaUndefined(
                        message: "parameter \(pythonRepr(parameter.name)) was not provided"))
                }
            }
            if let caller { frames[current].vars["caller"] = caller }
            if definition.usesKwargs { frames[current].vars["kwargs"] = .object(extraKeywords) }
            if definition.usesVarargs { frames[current].vars["varargs"] = .tuple(extraPositional) }
            let text = try capture { () throws(TemplateError) in _ = try execute(definition.body) }
            return .string(text)
        }
    }

    // MARK: - Globals

    private func callBuiltin(_ builtin: BuiltinFunction, _ args: CallArguments, at location: SourceLocation)
        throws(TemplateError) -> JinjaValue
    {
        switch builtin {
        case .raiseException:
            throw .raised(args.value(0, "message")?.pythonString ?? "")
        case .strftimeNow:
            guard let format = args.value(0, "format")?.stringValue else {
                throw .runtime(message: "strftime() argument 1 must be str", location: location)
            }
            return .string(Strftime.format(format, date: now))
        case .namespace:
            var attributes = JinjaObject()
            for value in args.positional {
                guard case .object(let o) = value else {
                    throw .unsupported(construct: "namespace() with a \(value.pythonTypeName) argument",
                                       location: location)
                }
                for (k, v) in o.entries { attributes[key: k] = v }
            }
            for (k, v) in args.keyword { attributes[k] = v }
            namespaces.append(attributes)
            return .opaque(JinjaOpaque(.namespace(namespaces.count - 1)))
        case .dict:
            var object = JinjaObject()
            for value in args.positional {
                guard case .object(let o) = value else {
                    throw .unsupported(construct: "dict() with a \(value.pythonTypeName) argument", location: location)
                }
                for (k, v) in o.entries { object[key: k] = v }
            }
            for (k, v) in args.keyword { object[k] = v }
            return .object(object)
        case .range:
            var bounds: [Int] = []
            for v in args.positional {
                guard case .int(let i)? = v.numeric, v.isIntegral else {
                    throw .runtime(message: "'\(v.pythonTypeName)' object cannot be interpreted as an integer",
                                   location: location)
                }
                bounds.append(i)
            }
            let (start, stop, step): (Int, Int, Int)
            switch bounds.count {
            case 1: (start, stop, step) = (0, bounds[0], 1)
            case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
            case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
            default:
                throw .runtime(message: "range expected at most 3 arguments, got \(bounds.count)", location: location)
            }
            if step == 0 { throw .runtime(message: "range() arg 3 must not be zero", location: location) }
            let count = max(0, ((Double(stop) - Double(start)) / Double(step)).rounded(.up))
            if count > 100_000 {
                throw .runtime(message: "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
                               location: location)
            }
            return .opaque(JinjaOpaque(.range(start: start, stop: stop, step: step)))
        case .lipsum, .cycler, .joiner:
            throw .unsupported(construct: "global `\(builtin.rawValue)()`", location: location)
        }
    }

    // MARK: - Methods

    private func callMethod(_ receiver: JinjaValue, _ name: String, _ args: CallArguments,
                            at location: SourceLocation) throws(TemplateError) -> JinjaValue
    {
        if case .opaque(let o) = receiver, case .range = o.kind, let items = o.reusableItems {
            return try callMethod(.tuple(items), name, args, at: location)
        }
        switch receiver {
        case .string(let s):
            return try stringMethod(s, name, args, at: location)
        case .markup(let s):
            let result = try stringMethod(s, name, args, at: location)
            switch result {
            case .string(let r): return .markup(r)
            case .array(let parts): return .array(parts.map { $0.stringValue.map(JinjaValue.markup) ?? $0 })
            default: return result
            }
        case .object(let o):
            switch name {
            case "get":
                guard let key = args.value(0, "key") else {
                    throw .runtime(message: "get expected at least 1 argument, got 0", location: location)
                }
                if let v = o[key: key] { return v }
                return args.value(1, "default") ?? .none
            case "items":
                return .opaque(JinjaOpaque(.view(o.entries.map { .tuple([$0.key, $0.value]) }, typeName: "dict_items")))
            case "keys": return .opaque(JinjaOpaque(.view(o.keyValues, typeName: "dict_keys")))
            case "values": return .opaque(JinjaOpaque(.view(o.values, typeName: "dict_values")))
            case "copy": return receiver
            default: break
            }
        case .array(let items), .tuple(let items):
            switch name {
            case "count":
                let needle = args.value(0, "value") ?? .none
                return .int(items.filter { pythonEquals($0, needle) }.count)
            case "index":
                let needle = args.value(0, "value") ?? .none
                if let i = items.firstIndex(where: { pythonEquals($0, needle) }) { return .int(i) }
                throw .runtime(message: "\(needle.pythonRepr) is not in \(receiver.pythonTypeName)",
                               location: location)
            case "copy": return receiver
            default: break
            }
        case .opaque(let o):
            if case .loop(let info) = o.kind, name == "changed" {
                let key = info.run
                let value = JinjaValue.tuple(args.positional)
                if let last = loopChangedValues[key], pythonEquals(last, value) { return .bool(false) }
                loopChangedValues[key] = value
                return .bool(true)
            }
            if case .loop(let info) = o.kind, name == "cycle" {
                guard !args.positional.isEmpty else {
                    throw .runtime(message: "no items for cycling given", location: location)
                }
                return args.positional[info.index0 % args.positional.count]
            }
        default:
            break
        }
        throw .unsupported(construct: "method `\(receiver.pythonTypeName).\(name)()`", location: location)
    }
}
