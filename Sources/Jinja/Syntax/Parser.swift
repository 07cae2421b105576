// Builds the syntax tree from tokens, following jinja2's grammar (parser.py) including its operator precedence:
// or < and < not < comparisons < + - < ~ < * / // % < ** < unary - + < postfix/filters/tests.

/// A recursive-descent parser over the lexer's tokens.
struct Parser {
    private let tokens: [Token]
    var index = 0
    /// Names used inside each macro being parsed (jinja2 lets a macro take extra arguments only if its body
    /// mentions `varargs`/`kwargs`, and a `caller` only if it mentions `caller`).
    var macroNameUse: [Set<String>] = []
    /// Tags that open a block, innermost last, for "unexpected end of template" messages.
    var openTags: [String] = []
    /// Current nesting of blocks and bracketed expressions; bounded so hostile templates cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 160

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

    /// Counts one more level of nesting, failing beyond ``maxDepth``.
    mutating func enter(at location: SourceLocation) throws(TemplateError) {
        depth += 1
        if depth > Self.maxDepth {
            throw .syntax(message: "nesting deeper than \(Self.maxDepth) levels", location: location)
        }
    }

    var current: Token { tokens[index] }

    func peek(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func expectOp(_ symbol: String) throws(TemplateError) {
        guard current.isOp(symbol) else {
            throw .syntax(message: "expected token '\(symbol)', got \(current.describe)", location: current.location)
        }
        advance()
    }

    mutating func skipOp(_ symbol: String) -> Bool {
        if current.isOp(symbol) {
            advance()
            return true
        }
        return false
    }

    mutating func skipName(_ word: String) -> Bool {
        if current.isName(word) {
            advance()
            return true
        }
        return false
    }

    mutating func expectName() throws(TemplateError) -> String {
        guard case .name(let n) = current.kind else {
            throw .syntax(message: "expected token 'name', got \(current.describe)", location: current.location)
        }
        advance()
        return n
    }

    mutating func expectName(_ word: String) throws(TemplateError) {
        guard current.isName(word) else {
            throw .syntax(message: "expected token '\(word)', got \(current.describe)", location: current.location)
        }
        advance()
    }

    mutating func expectBlockEnd() throws(TemplateError) {
        guard case .blockEnd = current.kind else {
            throw .syntax(message: "expected token 'end of statement block', got \(current.describe)",
                          location: current.location)
        }
        advance()
    }

    // MARK: - Statements

    /// Parses until a block tag whose name is in `endTags` (left as the current token) or the end of input.
    mutating func subparse(endTags: Set<String>) throws(TemplateError) -> [Stmt] {
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
    mutating func parseBody(_ endTags: Set<String>, dropEnd: Bool) throws(TemplateError) -> ([Stmt], String) {
        _ = skipOp(":")
        try expectBlockEnd()
        let body = try subparse(endTags: endTags)
        guard case .name(let end) = current.kind else { return (body, "") }
        if dropEnd { advance() }
        return (body, end)
    }

    mutating func parseStatement() throws(TemplateError) -> Stmt {
        let token = current
        guard case .name(let tag) = token.kind else {
            throw .syntax(message: "tag name expected", location: token.location)
        }
        openTags.append(tag)
        try enter(at: token.location)
        defer {
            openTags.removeLast()
            depth -= 1
        }
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

    func unknownTagMessage(_ tag: String) -> String {
        var message = "Encountered unknown tag '\(tag)'."
        if let innermost = openTags.dropLast().last {
            message += " Jinja was looking for the end of the '\(innermost)' block."
        }
        return message
    }

    mutating func parseIf() throws(TemplateError) -> Stmt {
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

    mutating func parseFor() throws(TemplateError) -> Stmt {
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

    mutating func parseSet() throws(TemplateError) -> Stmt {
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

    mutating func parseMacro() throws(TemplateError) -> Stmt {
        let location = advance().location
        let name = try expectName()
        let parameters = try parseSignature()
        let definition = try parseMacroBody(name: name, parameters: parameters, endTag: "endmacro",
                                            location: location)
        return Stmt(kind: .macro(definition), location: location)
    }

    mutating func parseMacroBody(name: String, parameters: [MacroParameter], endTag: String,
                                         location: SourceLocation) throws(TemplateError) -> MacroDefinition {
        macroNameUse.append([])
        let (body, _) = try parseBody([endTag], dropEnd: true)
        let used = macroNameUse.removeLast()
        return MacroDefinition(name: name, parameters: parameters, body: body, usesCaller: used.contains("caller"),
                               usesVarargs: used.contains("varargs"), usesKwargs: used.contains("kwargs"),
                               location: location)
    }

    mutating func parseSignature() throws(TemplateError) -> [MacroParameter] {
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

    mutating func parseCallBlock() throws(TemplateError) -> Stmt {
        let location = advance().location
        let parameters = current.isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call.kind else {
            throw .syntax(message: "expected call", location: call.location)
        }
        let caller = try parseMacroBody(name: "caller", parameters: parameters, endTag: "endcall", location: location)
        return Stmt(kind: .callBlock(call: call, caller: caller), location: location)
    }

    mutating func parseFilterBlock() throws(TemplateError) -> Stmt {
        let location = advance().location
        var filters = [try parseFilterCall()]
        while current.isOp("|") {
            advance()
            filters.append(try parseFilterCall())
        }
        let (body, _) = try parseBody(["endfilter"], dropEnd: true)
        return Stmt(kind: .filterBlock(filters: filters, body: body), location: location)
    }

    mutating func parseWith() throws(TemplateError) -> Stmt {
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

    var isBlockEnd: Bool {
        if case .blockEnd = current.kind { return true }
        return false
    }

    /// A name, `ns.attr` (when allowed) or a comma-separated tuple of those (parentheses allowed).
    mutating func parseAssignTarget(endNames: Set<String>, withNamespace: Bool) throws(TemplateError)
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

    mutating func parseTargetPrimary(withNamespace: Bool) throws(TemplateError) -> AssignTarget {
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
}
