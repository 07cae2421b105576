// jinja2's compile-time check that every filter and test exists, except inside `if` blocks and inline
// conditionals, where it waits until the filter is actually used (compiler.py, "soft" frames).

/// Walks the tree as jinja2's code generator does, failing on unknown filter/test names outside soft contexts.
enum NameCheck {
    static func check(_ body: [Stmt]) throws(TemplateError) {
        for stmt in body { try check(stmt, soft: false) }
    }

    private static func check(_ stmt: Stmt, soft: Bool) throws(TemplateError) {
        switch stmt.kind {
        case .text, .breakLoop, .continueLoop:
            break
        case .output(let e):
            try check(e, soft: soft)
        case .ifChain(let branches, let otherwise):
            for branch in branches {
                try check(branch.test, soft: true)
                for s in branch.body { try check(s, soft: true) }
            }
            for s in otherwise { try check(s, soft: true) }
        case .forLoop(let loop):
            try check(loop.iterable, soft: soft)
            if let condition = loop.condition { try check(condition, soft: false) }
            for s in loop.body + loop.otherwise { try check(s, soft: false) }
        case .set(_, let e):
            try check(e, soft: soft)
        case .setBlock(_, let filters, let body):
            for f in filters { try check(f, isFilter: true, soft: false) }
            for s in body { try check(s, soft: false) }
        case .macro(let m):
            try check(m, soft: soft)
        case .callBlock(let call, let caller):
            try check(call, soft: soft)
            try check(caller, soft: soft)
        case .filterBlock(let filters, let body):
            for f in filters { try check(f, isFilter: true, soft: false) }
            for s in body { try check(s, soft: false) }
        case .with(let assignments, let body):
            for a in assignments { try check(a.value, soft: soft) }
            for s in body { try check(s, soft: false) }
        case .generation(let body):
            for s in body { try check(s, soft: false) }
        }
    }

    private static func check(_ macro: MacroDefinition, soft: Bool) throws(TemplateError) {
        for p in macro.parameters { if let d = p.defaultValue { try check(d, soft: false) } }
        for s in macro.body { try check(s, soft: false) }
    }

    private static func check(_ f: FilterCall, isFilter: Bool, soft: Bool) throws(TemplateError) {
        try check(f.arguments, soft: soft)
        if soft { return }
        let known = isFilter ? Interpreter.knownFilters.contains(f.name) : Interpreter.knownTests.contains(f.name)
        if !known {
            throw .syntax(message: "No \(isFilter ? "filter" : "test") named \(pythonRepr(f.name)).",
                          location: f.location)
        }
    }

    private static func check(_ args: Arguments, soft: Bool) throws(TemplateError) {
        for e in args.positional { try check(e, soft: soft) }
        for k in args.keyword { try check(k.value, soft: soft) }
        if let e = args.spread { try check(e, soft: soft) }
        if let e = args.keywordSpread { try check(e, soft: soft) }
    }

    private static func check(_ expr: Expr, soft: Bool) throws(TemplateError) {
        switch expr.kind {
        case .literal, .name:
            break
        case .list(let items), .tuple(let items), .concat(let items):
            for e in items { try check(e, soft: soft) }
        case .dict(let entries):
            for e in entries {
                try check(e.key, soft: soft)
                try check(e.value, soft: soft)
            }
        case .attribute(let base, _), .negate(let base), .plus(let base), .not(let base):
            try check(base, soft: soft)
        case .item(let base, let index):
            try check(base, soft: soft)
            try check(index, soft: soft)
        case .slice(let a, let b, let c):
            for e in [a, b, c].compactMap({ $0 }) { try check(e, soft: soft) }
        case .call(let callee, let args):
            try check(callee, soft: soft)
            try check(args, soft: soft)
        case .filter(let base, let f):
            try check(base, soft: soft)
            try check(f, isFilter: true, soft: soft)
        case .test(let base, let t, _):
            try check(base, soft: soft)
            try check(t, isFilter: false, soft: soft)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            try check(a, soft: soft)
            try check(b, soft: soft)
        case .compare(let first, let rest):
            try check(first, soft: soft)
            for c in rest { try check(c.operand, soft: soft) }
        case .conditional(let test, let then, let otherwise):
            try check(test, soft: true)
            try check(then, soft: true)
            if let otherwise { try check(otherwise, soft: true) }
        }
    }
}
