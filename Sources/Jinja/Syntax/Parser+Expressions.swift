// Expression grammar of the parser (jinja2's parse_tuple … parse_primary, parse_filter, parse_test): the part of
// Parser that turns `{{ … }}` contents and tag arguments into expression trees.

extension Parser {
    func isTupleEnd(_ endNames: Set<String>) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd: return true
        case .op(")"): return true
        case .name(let n): return endNames.contains(n)
        default: return false
        }
    }

    /// Comma-separated expressions; a single one without a comma is returned as itself.
    mutating func parseTuple(withCondition: Bool = true, endNames: Set<String> = [],
                                     explicitParentheses: Bool = false) throws(TemplateError) -> Expr
    {
        let location = current.location
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(endNames) { break }
            items.append(withCondition ? try parseExpression() : try parseOr())
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses {
                throw .syntax(message: "Expected an expression, got \(current.describe)", location: current.location)
            }
        }
        return Expr(kind: .tuple(items), location: location)
    }

    mutating func parseExpression() throws(TemplateError) -> Expr {
        try enter(at: current.location)
        defer { depth -= 1 }
        var expr = try parseOr()
        while current.isName("if") {
            let location = advance().location
            let test = try parseOr()
            var otherwise: Expr? = nil
            if skipName("else") { otherwise = try parseExpression() }
            expr = Expr(kind: .conditional(test: test, then: expr, otherwise: otherwise), location: location)
        }
        return expr
    }

    mutating func parseOr() throws(TemplateError) -> Expr {
        var left = try parseAnd()
        while current.isName("or") {
            let location = advance().location
            left = Expr(kind: .or(left, try parseAnd()), location: location)
        }
        return left
    }

    mutating func parseAnd() throws(TemplateError) -> Expr {
        var left = try parseNot()
        while current.isName("and") {
            let location = advance().location
            left = Expr(kind: .and(left, try parseNot()), location: location)
        }
        return left
    }

    mutating func parseNot() throws(TemplateError) -> Expr {
        try enter(at: current.location)
        defer { depth -= 1 }
        if current.isName("not") {
            let location = advance().location
            return Expr(kind: .not(try parseNot()), location: location)
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws(TemplateError) -> Expr {
        let location = current.location
        let left = try parseMath1()
        var comparisons: [Comparison] = []
        while true {
            if case .op(let o) = current.kind, let op = Comparison.Operator(rawValue: o), op != .contains,
                op != .notContains
            {
                advance()
                comparisons.append(Comparison(op: op, operand: try parseMath1()))
            } else if skipName("in") {
                comparisons.append(Comparison(op: .contains, operand: try parseMath1()))
            } else if current.isName("not") && peek().isName("in") {
                advance()
                advance()
                comparisons.append(Comparison(op: .notContains, operand: try parseMath1()))
            } else {
                break
            }
        }
        if comparisons.isEmpty { return left }
        return Expr(kind: .compare(left, comparisons), location: location)
    }

    mutating func parseMath1() throws(TemplateError) -> Expr {
        var left = try parseConcat()
        while current.isOp("+") || current.isOp("-") {
            let token = advance()
            let op: BinaryOperator = token.isOp("+") ? .add : .subtract
            left = Expr(kind: .binary(op, left, try parseConcat()), location: token.location)
        }
        return left
    }

    mutating func parseConcat() throws(TemplateError) -> Expr {
        let location = current.location
        var parts = [try parseMath2()]
        while skipOp("~") { parts.append(try parseMath2()) }
        if parts.count == 1 { return parts[0] }
        return Expr(kind: .concat(parts), location: location)
    }

    mutating func parseMath2() throws(TemplateError) -> Expr {
        var left = try parsePow()
        while true {
            let op: BinaryOperator
            if current.isOp("*") { op = .multiply }
            else if current.isOp("/") { op = .divide }
            else if current.isOp("//") { op = .floorDivide }
            else if current.isOp("%") { op = .modulo }
            else { break }
            let location = advance().location
            left = Expr(kind: .binary(op, left, try parsePow()), location: location)
        }
        return left
    }

    mutating func parsePow() throws(TemplateError) -> Expr {
        var left = try parseUnary()
        while current.isOp("**") {
            let location = advance().location
            left = Expr(kind: .binary(.power, left, try parseUnary()), location: location)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws(TemplateError) -> Expr {
        let token = current
        try enter(at: token.location)
        defer { depth -= 1 }
        var expr: Expr
        if token.isOp("-") {
            advance()
            expr = Expr(kind: .negate(try parseUnary(withFilter: false)), location: token.location)
        } else if token.isOp("+") {
            advance()
            expr = Expr(kind: .plus(try parseUnary(withFilter: false)), location: token.location)
        } else {
            expr = try parsePrimary()
        }
        expr = try parsePostfix(expr)
        if withFilter { expr = try parseFilterExpression(expr) }
        return expr
    }

    mutating func parsePrimary() throws(TemplateError) -> Expr {
        let token = current
        try enter(at: token.location)
        defer { depth -= 1 }
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return Expr(kind: .literal(.bool(true)), location: token.location)
            case "false", "False": return Expr(kind: .literal(.bool(false)), location: token.location)
            case "none", "None": return Expr(kind: .literal(.none), location: token.location)
            default:
                if !macroNameUse.isEmpty && (name == "caller" || name == "varargs" || name == "kwargs") {
                    for i in macroNameUse.indices { macroNameUse[i].insert(name) }
                }
                return Expr(kind: .name(name), location: token.location)
            }
        case .string(var text):
            advance()
            while case .string(let more) = current.kind {
                text += more
                advance()
            }
            return Expr(kind: .literal(.string(text)), location: token.location)
        case .integer(let i):
            advance()
            return Expr(kind: .literal(.int(i)), location: token.location)
        case .float(let f):
            advance()
            return Expr(kind: .literal(.float(f)), location: token.location)
        case .op("("):
            advance()
            let inner = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return inner
        case .op("["):
            advance()
            var items: [Expr] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return Expr(kind: .list(items), location: token.location)
        case .op("{"):
            advance()
            var entries: [DictEntry] = []
            while !current.isOp("}") {
                if !entries.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                entries.append(DictEntry(key: key, value: try parseExpression()))
            }
            try expectOp("}")
            return Expr(kind: .dict(entries), location: token.location)
        default:
            throw .syntax(message: "unexpected \(token.describe)", location: token.location)
        }
    }

    mutating func parsePostfix(_ base: Expr) throws(TemplateError) -> Expr {
        var expr = base
        while true {
            if current.isOp(".") || current.isOp("[") {
                expr = try parseSubscript(expr)
            } else if current.isOp("(") {
                let location = expr.location
                expr = Expr(kind: .call(expr, try parseCallArguments()), location: location)
            } else {
                return expr
            }
        }
    }

    mutating func parseFilterExpression(_ base: Expr) throws(TemplateError) -> Expr {
        var expr = base
        while true {
            if current.isOp("|") {
                advance()
                let filter = try parseFilterCall()
                expr = Expr(kind: .filter(expr, filter), location: filter.location)
            } else if current.isName("is") {
                expr = try parseTest(expr)
            } else if current.isOp("(") {
                let location = expr.location
                expr = Expr(kind: .call(expr, try parseCallArguments()), location: location)
            } else {
                return expr
            }
        }
    }

    mutating func parseSubscript(_ base: Expr) throws(TemplateError) -> Expr {
        let token = advance()
        if token.isOp(".") {
            let attribute = current
            advance()
            switch attribute.kind {
            case .name(let n): return Expr(kind: .attribute(base, n), location: attribute.location)
            case .integer(let i):
                return Expr(kind: .item(base, Expr(kind: .literal(.int(i)), location: attribute.location)),
                            location: token.location)
            default:
                throw .syntax(message: "expected name or number", location: attribute.location)
            }
        }
        var indices: [Expr] = []
        while !current.isOp("]") {
            if !indices.isEmpty { try expectOp(",") }
            indices.append(try parseSubscribed())
        }
        try expectOp("]")
        let index = indices.count == 1 ? indices[0] : Expr(kind: .tuple(indices), location: token.location)
        return Expr(kind: .item(base, index), location: token.location)
    }

    mutating func parseSubscribed() throws(TemplateError) -> Expr {
        let location = current.location
        var parts: [Expr?] = []
        if skipOp(":") {
            parts.append(nil)
        } else {
            let expr = try parseExpression()
            if !skipOp(":") { return expr }
            parts.append(expr)
        }
        if current.isOp(":") || current.isOp("]") || current.isOp(",") {
            parts.append(nil)
        } else {
            parts.append(try parseExpression())
        }
        if skipOp(":") {
            parts.append(current.isOp("]") || current.isOp(",") ? nil : try parseExpression())
        } else {
            parts.append(nil)
        }
        return Expr(kind: .slice(parts[0], parts[1], parts[2]), location: location)
    }

    mutating func parseCallArguments() throws(TemplateError) -> Arguments {
        let open = current.location
        try expectOp("(")
        var args = Arguments()
        var requireComma = false
        func ensure(_ ok: Bool) throws(TemplateError) {
            if !ok { throw .syntax(message: "invalid syntax for function call expression", location: open) }
        }
        while !current.isOp(")") {
            if requireComma {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if skipOp("*") {
                try ensure(args.spread == nil && args.keywordSpread == nil)
                args.spread = try parseExpression()
            } else if skipOp("**") {
                try ensure(args.keywordSpread == nil)
                args.keywordSpread = try parseExpression()
            } else if case .name(let key) = current.kind, peek().isOp("=") {
                try ensure(args.keywordSpread == nil)
                advance()
                advance()
                args.keyword.append(KeywordArgument(name: key, value: try parseExpression()))
            } else {
                try ensure(args.spread == nil && args.keywordSpread == nil && args.keyword.isEmpty)
                args.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return args
    }

    /// `name(.name)*` with optional call arguments, after the `|`.
    mutating func parseFilterCall() throws(TemplateError) -> FilterCall {
        let location = current.location
        var name = try expectName()
        while skipOp(".") { name += "." + (try expectName()) }
        let args = current.isOp("(") ? try parseCallArguments() : Arguments()
        return FilterCall(name: name, arguments: args, location: location)
    }

    mutating func parseTest(_ base: Expr) throws(TemplateError) -> Expr {
        let location = advance().location
        let negated = skipName("not")
        let nameLocation = current.location
        var name = try expectName()
        while skipOp(".") { name += "." + (try expectName()) }
        var args = Arguments()
        switch current.kind {
        case .op("("):
            args = try parseCallArguments()
        case .name("else"), .name("or"), .name("and"):
            break
        case .name("is"):
            throw .syntax(message: "You cannot chain multiple tests with is", location: current.location)
        case .name, .string, .integer, .float, .op("["), .op("{"):
            args.positional = [try parsePostfix(try parsePrimary())]
        default:
            break
        }
        let test = FilterCall(name: name, arguments: args, location: nameLocation)
        return Expr(kind: .test(base, test, negated: negated), location: location)
    }
}
