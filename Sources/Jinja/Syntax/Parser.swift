// Builds the syntax tree from tokens, following jinja2's grammar (parser.py) including its operator precedence:
// or < and < not < comparisons < + - < ~ < * / // % < ** < unary - + < postfix/filters/tests.

/// A recursive-descent parser over the lexer's tokens.
struct Parser {
    private var tokens: [Token]
    private var index = 0
    /// Names used inside each macro being parsed (jinja2 lets a macro take extra arguments only if its body
    /// mentions `varargs`/`kwargs`, and a `caller` only if it mentions `caller`).
    private var macroNameUse: [Set<String>] = []
    /// Tags that open a block, innermost last, for "unexpected end of template" messages.
    private var openTags: [String] = []

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The template body.
    mutating func parseTemplate() throws(TemplateError) -> [Stmt] {
        let body = try subparse(endTags: [])
        if case .eof = current.kind { return body }
        throw .syntax(message: "unexpected \(current.describe)", location: current.location)
    }

    // MARK: - Token stream

    private var current: Token { tokens[index] }

    private func peek(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func expectOp(_ symbol: String) throws(TemplateError) {
        guard current.isOp(symbol) else {
            throw .syntax(message: "expected token '\(symbol)', got \(current.describe)", location: current.location)
        }
        advance()
    }

    private mutating func skipOp(_ symbol: String) -> Bool {
        if current.isOp(symbol) {
            advance()
            return true
        }
        return false
    }

    private mutating func skipName(_ word: String) -> Bool {
        if current.isName(word) {
            advance()
            return true
        }
        return false
    }

    private mutating func expectName() throws(TemplateError) -> String {
        guard case .name(let n) = current.kind else {
            throw .syntax(message: "expected token 'name', got \(current.describe)", location: current.location)
        }
        advance()
        return n
    }

    private mutating func expectName(_ word: String) throws(TemplateError) {
        guard current.isName(word) else {
            throw .syntax(message: "expected token '\(word)', got \(current.describe)", location: current.location)
        }
        advance()
    }

    private mutating func expectBlockEnd() throws(TemplateError) {
        guard case .blockEnd = current.kind else {
            throw .syntax(message: "expected token 'end of statement block', got \(current.describe)",
                          location: current.location)
        }
        advance()
    }

    // MARK: - Statements

    /// Parses until a block tag whose name is in `endTags` (left as the current token) or the end of input.
    private mutating func subparse(endTags: Set<String>) throws(TemplateError) -> [Stmt] {
        var body: [Stmt] = []
        while true {
            let token = current
            switch token.kind {
            case .data(let text):
                advance()
                body.append(Stmt(kind: .text(text), location: token.location))
            case .variableBegin:
                advance()
                let expr = try parseTuple()
                guard case .variableEnd = current.kind else {
                    throw .syntax(message: "expected token 'end of print statement', got \(current.describe)",
                                  location: current.location)
                }
                advance()
                body.append(Stmt(kind: .output(expr), location: token.location))
            case .blockBegin:
                advance()
                if case .name(let n) = current.kind, endTags.contains(n) { return body }
                body.append(try parseStatement())
                try expectBlockEnd()
            case .eof:
                if !endTags.isEmpty {
                    let expected = endTags.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    var message = "Unexpected end of template. Jinja was looking for the following tags: \(expected)."
                    if let innermost = openTags.last {
                        message += " The innermost block that needs to be closed is '\(innermost)'."
                    }
                    throw .syntax(message: message, location: token.location)
                }
                return body
            default:
                throw .syntax(message: "unexpected \(token.describe)", location: token.location)
            }
        }
    }

    /// Expects the end of the opening tag, parses a body up to one of `endTags`, and returns it with the end tag
    /// name (the end tag itself is consumed when `dropEnd`).
    private mutating func parseBody(_ endTags: Set<String>, dropEnd: Bool) throws(TemplateError) -> ([Stmt], String) {
        _ = skipOp(":")
        try expectBlockEnd()
        let body = try subparse(endTags: endTags)
        guard case .name(let end) = current.kind else { return (body, "") }
        if dropEnd { advance() }
        return (body, end)
    }

    private mutating func parseStatement() throws(TemplateError) -> Stmt {
        let token = current
        guard case .name(let tag) = token.kind else {
            throw .syntax(message: "tag name expected", location: token.location)
        }
        openTags.append(tag)
        defer { openTags.removeLast() }
        switch tag {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "call": return try parseCallBlock()
        case "filter": return try parseFilterBlock()
        case "with": return try parseWith()
        case "break":
            advance()
            return Stmt(kind: .breakLoop, location: token.location)
        case "continue":
            advance()
            return Stmt(kind: .continueLoop, location: token.location)
        case "generation":
            advance()
            let (body, _) = try parseBody(["endgeneration"], dropEnd: true)
            return Stmt(kind: .generation(body), location: token.location)
        case "block", "extends", "include", "import", "from", "autoescape", "print", "do", "trans":
            throw .unsupported(construct: "tag `\(tag)`", location: token.location)
        default:
            throw .syntax(message: unknownTagMessage(tag), location: token.location)
        }
    }

    private func unknownTagMessage(_ tag: String) -> String {
        var message = "Encountered unknown tag '\(tag)'."
        if let innermost = openTags.dropLast().last {
            message += " Jinja was looking for the end of the '\(innermost)' block."
        }
        return message
    }

    private mutating func parseIf() throws(TemplateError) -> Stmt {
        let location = advance().location
        var branches: [IfBranch] = []
        var otherwise: [Stmt] = []
        while true {
            let test = try parseTuple(withCondition: false)
            let (body, end) = try parseBody(["elif", "else", "endif"], dropEnd: true)
            branches.append(IfBranch(test: test, body: body))
            if end == "elif" { continue }
            if end == "else" {
                (otherwise, _) = try parseBody(["endif"], dropEnd: true)
            }
            break
        }
        return Stmt(kind: .ifChain(branches: branches, otherwise: otherwise), location: location)
    }

    private mutating func parseFor() throws(TemplateError) -> Stmt {
        let location = advance().location
        let target = try parseAssignTarget(endNames: ["in"], withNamespace: false)
        try expectName("in")
        let iterable = try parseTuple(withCondition: false, endNames: ["recursive"])
        var condition: Expr? = nil
        if skipName("if") { condition = try parseExpression() }
        let recursive = skipName("recursive")
        let (body, end) = try parseBody(["endfor", "else"], dropEnd: true)
        var otherwise: [Stmt] = []
        if end == "else" { (otherwise, _) = try parseBody(["endfor"], dropEnd: true) }
        let loop = ForLoop(target: target, iterable: iterable, condition: condition, body: body, otherwise: otherwise,
                           recursive: recursive, location: location)
        return Stmt(kind: .forLoop(loop), location: location)
    }

    private mutating func parseSet() throws(TemplateError) -> Stmt {
        let location = advance().location
        let target = try parseAssignTarget(endNames: [], withNamespace: true)
        if skipOp("=") {
            return Stmt(kind: .set(target, try parseTuple()), location: location)
        }
        var filters: [FilterCall] = []
        while current.isOp("|") {
            advance()
            filters.append(try parseFilterCall())
        }
        let (body, _) = try parseBody(["endset"], dropEnd: true)
        return Stmt(kind: .setBlock(target, filters: filters, body: body), location: location)
    }

    private mutating func parseMacro() throws(TemplateError) -> Stmt {
        let location = advance().location
        let name = try expectName()
        let parameters = try parseSignature()
        let definition = try parseMacroBody(name: name, parameters: parameters, endTag: "endmacro",
                                            location: location)
        return Stmt(kind: .macro(definition), location: location)
    }

    private mutating func parseMacroBody(name: String, parameters: [MacroParameter], endTag: String,
                                         location: SourceLocation) throws(TemplateError) -> MacroDefinition {
        macroNameUse.append([])
        let (body, _) = try parseBody([endTag], dropEnd: true)
        let used = macroNameUse.removeLast()
        return MacroDefinition(name: name, parameters: parameters, body: body, usesCaller: used.contains("caller"),
                               usesVarargs: used.contains("varargs"), usesKwargs: used.contains("kwargs"),
                               location: location)
    }

    private mutating func parseSignature() throws(TemplateError) -> [MacroParameter] {
        try expectOp("(")
        var parameters: [MacroParameter] = []
        var sawDefault = false
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let location = current.location
            let name = try expectName()
            var defaultValue: Expr? = nil
            if skipOp("=") {
                defaultValue = try parseExpression()
                sawDefault = true
            } else if sawDefault {
                throw .syntax(message: "non-default argument follows default argument", location: location)
            }
            parameters.append(MacroParameter(name: name, defaultValue: defaultValue))
        }
        try expectOp(")")
        return parameters
    }

    private mutating func parseCallBlock() throws(TemplateError) -> Stmt {
        let location = advance().location
        let parameters = current.isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call.kind else {
            throw .syntax(message: "expected call", location: call.location)
        }
        let caller = try parseMacroBody(name: "caller", parameters: parameters, endTag: "endcall", location: location)
        return Stmt(kind: .callBlock(call: call, caller: caller), location: location)
    }

    private mutating func parseFilterBlock() throws(TemplateError) -> Stmt {
        let location = advance().location
        var filters = [try parseFilterCall()]
        while current.isOp("|") {
            advance()
            filters.append(try parseFilterCall())
        }
        let (body, _) = try parseBody(["endfilter"], dropEnd: true)
        return Stmt(kind: .filterBlock(filters: filters, body: body), location: location)
    }

    private mutating func parseWith() throws(TemplateError) -> Stmt {
        let location = advance().location
        var assignments: [WithAssignment] = []
        while !isBlockEnd {
            if !assignments.isEmpty { try expectOp(",") }
            let target = try parseAssignTarget(endNames: [], withNamespace: false)
            try expectOp("=")
            assignments.append(WithAssignment(target: target, value: try parseExpression()))
        }
        let (body, _) = try parseBody(["endwith"], dropEnd: true)
        return Stmt(kind: .with(assignments: assignments, body: body), location: location)
    }

    private var isBlockEnd: Bool {
        if case .blockEnd = current.kind { return true }
        return false
    }

    /// A name, `ns.attr` (when allowed) or a comma-separated tuple of those (parentheses allowed).
    private mutating func parseAssignTarget(endNames: Set<String>, withNamespace: Bool) throws(TemplateError)
        -> AssignTarget
    {
        var items: [AssignTarget] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(endNames) { break }
            items.append(try parseTargetPrimary(withNamespace: withNamespace))
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple, let only = items.first { return only }
        if items.isEmpty {
            throw .syntax(message: "Expected an expression, got \(current.describe)", location: current.location)
        }
        return .tuple(items)
    }

    private mutating func parseTargetPrimary(withNamespace: Bool) throws(TemplateError) -> AssignTarget {
        let token = current
        if skipOp("(") {
            let inner = try parseAssignTarget(endNames: [], withNamespace: withNamespace)
            try expectOp(")")
            return inner
        }
        guard case .name(let name) = token.kind else {
            throw .syntax(message: "can't assign to \(token.describe)", location: token.location)
        }
        if ["true", "false", "True", "False", "none", "None"].contains(name) {
            throw .syntax(message: "can't assign to 'const'", location: token.location)
        }
        advance()
        if withNamespace && current.isOp(".") {
            advance()
            return .namespaceAttribute(name, try expectName())
        }
        return .name(name)
    }

    // MARK: - Expressions

    private func isTupleEnd(_ endNames: Set<String>) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd: return true
        case .op(")"): return true
        case .name(let n): return endNames.contains(n)
        default: return false
        }
    }

    /// Comma-separated expressions; a single one without a comma is returned as itself.
    private mutating func parseTuple(withCondition: Bool = true, endNames: Set<String> = [],
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

    private mutating func parseExpression() throws(TemplateError) -> Expr {
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

    private mutating func parseOr() throws(TemplateError) -> Expr {
        var left = try parseAnd()
        while current.isName("or") {
            let location = advance().location
            left = Expr(kind: .or(left, try parseAnd()), location: location)
        }
        return left
    }

    private mutating func parseAnd() throws(TemplateError) -> Expr {
        var left = try parseNot()
        while current.isName("and") {
            let location = advance().location
            left = Expr(kind: .and(left, try parseNot()), location: location)
        }
        return left
    }

    private mutating func parseNot() throws(TemplateError) -> Expr {
        if current.isName("not") {
            let location = advance().location
            return Expr(kind: .not(try parseNot()), location: location)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws(TemplateError) -> Expr {
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

    private mutating func parseMath1() throws(TemplateError) -> Expr {
        var left = try parseConcat()
        while current.isOp("+") || current.isOp("-") {
            let token = advance()
            let op: BinaryOperator = token.isOp("+") ? .add : .subtract
            left = Expr(kind: .binary(op, left, try parseConcat()), location: token.location)
        }
        return left
    }

    private mutating func parseConcat() throws(TemplateError) -> Expr {
        let location = current.location
        var parts = [try parseMath2()]
        while skipOp("~") { parts.append(try parseMath2()) }
        if parts.count == 1 { return parts[0] }
        return Expr(kind: .concat(parts), location: location)
    }

    private mutating func parseMath2() throws(TemplateError) -> Expr {
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

    private mutating func parsePow() throws(TemplateError) -> Expr {
        var left = try parseUnary()
        while current.isOp("**") {
            let location = advance().location
            left = Expr(kind: .binary(.power, left, try parseUnary()), location: location)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool = true) throws(TemplateError) -> Expr {
        let token = current
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

    private mutating func parsePrimary() throws(TemplateError) -> Expr {
        let token = current
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

    private mutating func parsePostfix(_ base: Expr) throws(TemplateError) -> Expr {
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

    private mutating func parseFilterExpression(_ base: Expr) throws(TemplateError) -> Expr {
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

    private mutating func parseSubscript(_ base: Expr) throws(TemplateError) -> Expr {
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

    private mutating func parseSubscribed() throws(TemplateError) -> Expr {
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

    private mutating func parseCallArguments() throws(TemplateError) -> Arguments {
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
    private mutating func parseFilterCall() throws(TemplateError) -> FilterCall {
        let location = current.location
        var name = try expectName()
        while skipOp(".") { name += "." + (try expectName()) }
        let args = current.isOp("(") ? try parseCallArguments() : Arguments()
        return FilterCall(name: name, arguments: args, location: location)
    }

    private mutating func parseTest(_ base: Expr) throws(TemplateError) -> Expr {
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
