// Runs a parsed template against a context: scopes, statements and output. Expressions, calls, filters, tests and
// Python methods live in the Interpreter+*.swift files beside this one.
import Foundation

/// Evaluates one template once. Not shared: a fresh interpreter is made per render, so its mutable state
/// (scopes, namespaces, generators) never crosses threads.
///
/// Scoping follows jinja2's compiled code: `if` shares its scope; every `for` iteration, macro call, `with`,
/// `{% set %}…{% endset %}` body and filter block gets a fresh child scope whose assignments vanish at its end;
/// macros see their defining scope as it is when they are called.
final class Interpreter {
    struct Frame {
        var vars: [String: JinjaValue]
        let parent: Int?
        /// A macro refers to this frame, so it must outlive its block.
        var captured = false
    }

    enum Flow {
        case normal, breakLoop, continueLoop
    }

    var frames: [Frame]
    var current = 0
    var output = ""
    /// Attributes of each `namespace()` created so far (namespaces are shared, mutable objects).
    var namespaces: [JinjaObject] = []
    /// Items not yet consumed of each generator created so far.
    var generators: [[JinjaValue]] = []
    /// What `loop.changed(...)` last saw, per running loop.
    var loopChangedValues: [Int: JinjaValue] = [:]
    /// How many loops have started, to tell loop runs apart.
    var loopRuns = 0
    /// Nesting of blocks and calls being executed, bounded (as Python's recursion limit bounds jinja2) so that a
    /// runaway recursive macro fails cleanly instead of exhausting the thread's stack, even a 512 KiB one.
    var nesting = 0
    static let maxNesting = 120
    /// Largest field width, precision or indent a template may ask for (Python would just exhaust memory).
    static let maxWidth = 10_000_000
    /// Largest result of `'ab' * n` or `[x] * n`, in characters (UTF-8 bytes) or items.
    static let maxRepetition = 50_000_000
    let now: Date
    let templateName: String

    init(context: [String: JinjaValue], now: Date, templateName: String) {
        self.frames = [Frame(vars: context, parent: nil)]
        self.now = now
        self.templateName = templateName
    }

    /// Renders `body` and returns the text.
    func render(_ body: [Stmt]) throws(TemplateError) -> String {
        _ = try execute(body)
        return output
    }

    // MARK: - Scopes

    /// Runs `body` in a new scope whose parent is `parent`, then drops the scope unless a macro captured it.
    func inChildFrame<T>(of parent: Int, _ body: () throws(TemplateError) -> T) throws(TemplateError) -> T {
        let saved = current
        frames.append(Frame(vars: [:], parent: parent))
        let index = frames.count - 1
        current = index
        defer {
            current = saved
            if index == frames.count - 1 && !frames[index].captured { frames.removeLast() }
        }
        return try body()
    }

    /// Runs `body` with output redirected into a fresh buffer and returns what it wrote.
    func capture(_ body: () throws(TemplateError) -> Void) throws(TemplateError) -> String {
        let saved = output
        output = ""
        defer { output = saved }
        try body()
        return output
    }

    /// Marks `frame` and its ancestors as captured by a macro.
    func markCaptured(_ frame: Int) {
        var f: Int? = frame
        while let i = f, !frames[i].captured {
            frames[i].captured = true
            f = frames[i].parent
        }
    }

    func lookup(_ name: String) -> JinjaValue {
        var f: Int? = current
        while let i = f {
            if let v = frames[i].vars[name] { return v }
            f = frames[i].parent
        }
        if let builtin = BuiltinFunction(rawValue: name) { return .opaque(JinjaOpaque(.builtin(builtin))) }
        return .undefined(JinjaUndefined(name: name))
    }

    // MARK: - Statements

    func execute(_ body: [Stmt]) throws(TemplateError) -> Flow {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting, let first = body.first {
            throw .runtime(message: "maximum recursion depth exceeded", location: first.location)
        }
        for stmt in body {
            let flow = try execute(stmt)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func execute(_ stmt: Stmt) throws(TemplateError) -> Flow {
        switch stmt.kind {
        case .text(let text):
            output += text
        case .output(let expr):
            output += try display(try evaluate(expr), at: expr.location)
        case .ifChain(let branches, let otherwise):
            for branch in branches where try evaluate(branch.test).isTruthy {
                return try execute(branch.body)
            }
            return try execute(otherwise)
        case .forLoop(let loop):
            let iterable = try evaluate(loop.iterable)
            try runLoop(loop, over: iterable, depth0: 0)
        case .set(let target, let expr):
            try assign(target, try evaluate(expr), at: stmt.location)
        case .setBlock(let target, let filters, let body):
            let parent = current
            var value: JinjaValue = .string(try inChildFrame(of: parent) { () throws(TemplateError) -> String in
                try capture { () throws(TemplateError) in _ = try execute(body) }
            })
            for filter in filters { value = try applyFilter(filter, to: value) }
            try assign(target, value, at: stmt.location)
        case .macro(let definition):
            markCaptured(current)
            frames[current].vars[definition.name] = .opaque(JinjaOpaque(.macro(MacroValue(definition: definition,
                                                                                          frame: current))))
        case .callBlock(let call, let caller):
            guard case .call(let callee, let arguments) = call.kind else { return .normal }
            markCaptured(current)
            let callerValue = JinjaValue.opaque(JinjaOpaque(.macro(MacroValue(definition: caller, frame: current))))
            let function = try evaluate(callee)
            var args = try evaluateArguments(arguments)
            args.keyword.append(("caller", callerValue))
            let result = try self.call(function, args, at: call.location)
            output += try display(result, at: call.location)
        case .filterBlock(let filters, let body):
            let parent = current
            var value: JinjaValue = .string(try inChildFrame(of: parent) { () throws(TemplateError) -> String in
                try capture { () throws(TemplateError) in _ = try execute(body) }
            })
            for filter in filters { value = try applyFilter(filter, to: value) }
            output += try display(value, at: stmt.location)
        case .with(let assignments, let body):
            var values: [JinjaValue] = []
            for assignment in assignments { values.append(try evaluate(assignment.value)) }
            let parent = current
            return try inChildFrame(of: parent) { () throws(TemplateError) -> Flow in
                for (assignment, value) in zip(assignments, values) {
                    try assign(assignment.target, value, at: stmt.location)
                }
                return try execute(body)
            }
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .generation(let body):
            // transformers implements the block as a call block, so its body runs in its own scope.
            let parent = current
            try inChildFrame(of: parent) { () throws(TemplateError) in _ = try execute(body) }
        }
        return .normal
    }

    /// Runs a `for` loop over `iterable`; also used by `loop(children)` in recursive loops.
    func runLoop(_ loop: ForLoop, over iterable: JinjaValue, depth0: Int) throws(TemplateError) {
        var items = try iterate(iterable, at: loop.iterable.location)
        let parent = current
        if let condition = loop.condition {
            var kept: [JinjaValue] = []
            for item in items {
                let keep = try inChildFrame(of: parent) { () throws(TemplateError) -> Bool in
                    try assign(loop.target, item, at: loop.location)
                    return try evaluate(condition).isTruthy
                }
                if keep { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            try inChildFrame(of: parent) { () throws(TemplateError) in _ = try execute(loop.otherwise) }
            return
        }
        loopRuns += 1
        let run = loopRuns
        for (index, item) in items.enumerated() {
            let flow = try inChildFrame(of: parent) { () throws(TemplateError) -> Flow in
                try assign(loop.target, item, at: loop.location)
                let info = LoopInfo(index0: index, items: items, depth0: depth0, loop: loop, frame: parent, run: run)
                frames[current].vars["loop"] = .opaque(JinjaOpaque(.loop(info)))
                return try execute(loop.body)
            }
            if flow == .breakLoop { break }
        }
    }

    /// Binds a `set`/`for`/`with` target in the current scope (a namespace attribute wherever the namespace lives).
    func assign(_ target: AssignTarget, _ value: JinjaValue, at location: SourceLocation) throws(TemplateError) {
        switch target {
        case .name(let name):
            frames[current].vars[name] = value
        case .namespaceAttribute(let name, let attribute):
            guard case .opaque(let o) = lookup(name), case .namespace(let id) = o.kind else {
                throw .runtime(message: "cannot assign attribute on non-namespace object", location: location)
            }
            namespaces[id][attribute] = value
        case .tuple(let targets):
            let items = try iterate(value, at: location)
            if items.count < targets.count {
                throw .runtime(message: "not enough values to unpack (expected \(targets.count), got \(items.count))",
                               location: location)
            }
            if items.count > targets.count {
                throw .runtime(message: "too many values to unpack (expected \(targets.count))", location: location)
            }
            for (t, v) in zip(targets, items) { try assign(t, v, at: location) }
        }
    }

    /// `str(value)` as `{{ }}` prints it; namespaces show their attributes as jinja2's `repr` does.
    func display(_ value: JinjaValue, at location: SourceLocation) throws(TemplateError) -> String {
        if case .opaque(let o) = value, case .namespace(let id) = o.kind {
            return "<Namespace \(JinjaValue.object(namespaces[id]).pythonRepr)>"
        }
        return value.pythonString
    }

    /// Turns a value-level failure into a located template error.
    func located(_ failure: PythonFailure, _ location: SourceLocation) -> TemplateError {
        switch failure {
        case .type(let message): return .runtime(message: message, location: location)
        case .undefined(let u): return undefinedError(u, location)
        }
    }

    func undefinedError(_ u: JinjaUndefined, _ location: SourceLocation) -> TemplateError {
        u.isUnsafe ? .unsafe(message: u.message, location: location) : .undefined(message: u.message, location: location)
    }
}
