// Compiles named rule expressions into the byte automata of `Grammar`: Thompson construction with epsilon
// removal per rule, counted rules for large bounded repetitions, and the static checks and FOLLOW sets the
// matcher relies on.

struct GrammarCompiler {
    /// Bounded repetitions up to this count are unrolled inside their rule; larger ones become counted rules.
    static let unrollLimit = 16
    /// Automaton states one rule may expand to: nested repetitions multiply (`(("a"?){0,16}){0,16}…`), and a
    /// hostile grammar must be refused before it takes all memory. Sane rules stay in the thousands.
    static let maxStatesPerRule = 200_000
    /// The largest repetition count accepted (as a bound or a minimum).
    static let maxRepetition = 100_000

    private var sources: [(name: String, expression: GrammarExpression)]
    private let rootName: String
    private var ruleIndex: [String: Int32] = [:]
    private var ruleNullable: [String: Bool] = [:]
    private var nodes: [Grammar.Node] = []
    private var rules: [Grammar.Rule] = []

    init(rules: [(name: String, expression: GrammarExpression)], root: String) {
        self.sources = rules
        self.rootName = root
    }

    mutating func compile() throws(GrammarError) -> Grammar {
        for (i, r) in sources.enumerated() { ruleIndex[r.name] = Int32(i) }
        guard let root = ruleIndex[rootName] else { throw .missingRoot(rootName) }
        for r in sources {
            for name in r.expression.referencedRules where ruleIndex[name] == nil {
                throw .undefinedRule(name: name, line: 0, column: 0)
            }
        }
        computeNullable()
        try checkLeftRecursion()
        inlineSmallRules()
        rules = sources.map { Grammar.Rule(name: $0.name, start: -1) }
        // Generated counted rules are appended while compiling, so walk by index.
        var pending: [(rule: Int32, expression: GrammarExpression)] =
            sources.enumerated().map { (Int32($0.offset), $0.element.expression) }
        var i = 0
        while i < pending.count {
            let (rule, expression) = pending[i]
            var nfa = RuleNFA()
            let end = try emit(expression, from: 0, into: &nfa, rule: rule, pending: &pending)
            rules[Int(rule)].start = install(nfa, end: end, rule: rule)
            i += 1
        }
        computeFollowSets()
        return Grammar(nodes: nodes, rules: rules, root: root)
    }

    // MARK: - Static analysis on expressions

    private func nullable(_ e: GrammarExpression) -> Bool {
        switch e {
        case .literal(let s): return s.isEmpty
        case .characterClass, .anyCharacter: return false
        case .rule(let name): return ruleNullable[name] ?? false
        case .sequence(let parts): return parts.allSatisfy(nullable)
        case .choice(let parts): return parts.contains(where: nullable)
        case .repetition(let x, let min, let max): return min == 0 || max == 0 || nullable(x)
        }
    }

    private mutating func computeNullable() {
        var changed = true
        while changed {
            changed = false
            for r in sources where ruleNullable[r.name] != true && nullable(r.expression) {
                ruleNullable[r.name] = true
                changed = true
            }
        }
    }

    /// Rules that can be entered before any byte is consumed.
    private func leftReferences(_ e: GrammarExpression) -> [String] {
        switch e {
        case .literal, .characterClass, .anyCharacter: return []
        case .rule(let name): return [name]
        case .sequence(let parts):
            var out: [String] = []
            for p in parts {
                out += leftReferences(p)
                if !nullable(p) { break }
            }
            return out
        case .choice(let parts): return parts.flatMap(leftReferences)
        case .repetition(let x, _, let max): return max == 0 ? [] : leftReferences(x)
        }
    }

    private func checkLeftRecursion() throws(GrammarError) {
        let edges: [String: [String]] = Dictionary(uniqueKeysWithValues: sources.map {
            ($0.name, leftReferences($0.expression))
        })
        // 0 unvisited, 1 on the DFS path, 2 done.
        var mark: [String: Int] = [:]
        for r in sources where mark[r.name] == nil {
            var stack: [(String, Int)] = [(r.name, 0)]
            mark[r.name] = 1
            while let (name, next) = stack.last {
                let out = edges[name] ?? []
                if next < out.count {
                    stack[stack.count - 1].1 += 1
                    let callee = out[next]
                    switch mark[callee] {
                    case 1: throw .leftRecursion(rule: callee)
                    case 2: continue
                    default:
                        mark[callee] = 1
                        stack.append((callee, 0))
                    }
                } else {
                    mark[name] = 2
                    stack.removeLast()
                }
            }
        }
    }

    // MARK: - Inlining

    /// Expression nodes (literal bytes counted) above which a rule is not inlined.
    static let inlineLimit = 256

    /// Replaces references to small rules without references of their own (like `char` or `digit`) by their
    /// expressions. Their characters then live in the caller's automaton, so the matcher's top frame stays the
    /// caller's loop (one cache entry for a whole string) instead of a frame that returns after every character.
    /// Rules holding large counted repetitions stay rules so that every user shares their cache entries.
    private mutating func inlineSmallRules() {
        func size(_ e: GrammarExpression) -> Int? {
            switch e {
            case .literal(let s): return max(1, s.utf8.count)
            case .characterClass, .anyCharacter: return 1
            case .rule: return nil
            case .sequence(let parts), .choice(let parts):
                var total = 1
                for p in parts {
                    guard let n = size(p) else { return nil }
                    total += n
                }
                return total
            case .repetition(let x, let min, let max):
                if min > Self.unrollLimit || (max ?? 0) > Self.unrollLimit { return nil }
                return size(x).map { $0 * Swift.max(1, max ?? min) + 1 }
            }
        }
        for _ in 0..<8 {
            var inlinable: [String: GrammarExpression] = [:]
            for r in sources where r.name != rootName {
                if let n = size(r.expression), n <= Self.inlineLimit { inlinable[r.name] = r.expression }
            }
            var changed = false
            func substitute(_ e: GrammarExpression) -> GrammarExpression {
                switch e {
                case .rule(let name):
                    if let body = inlinable[name] {
                        changed = true
                        return body
                    }
                    return e
                case .literal, .characterClass, .anyCharacter: return e
                case .sequence(let parts): return .sequence(parts.map(substitute))
                case .choice(let parts): return .choice(parts.map(substitute))
                case .repetition(let x, let min, let max): return .repetition(substitute(x), min: min, max: max)
                }
            }
            for i in sources.indices { sources[i].expression = substitute(sources[i].expression) }
            if !changed { return }
        }
    }

    // MARK: - Thompson construction

    /// A rule's automaton with epsilon edges, before installation.
    private struct RuleNFA {
        var eps: [[Int32]] = [[]]
        var bytes: [[(UInt8, UInt8, Int32)]] = [[]]
        var calls: [[(Int32, Int32)]] = [[]]

        mutating func newState() -> Int32 {
            eps.append([]); bytes.append([]); calls.append([])
            return Int32(eps.count - 1)
        }
    }

    private mutating func emit(_ e: GrammarExpression, from s: Int32, into nfa: inout RuleNFA, rule: Int32,
                               pending: inout [(rule: Int32, expression: GrammarExpression)])
        throws(GrammarError) -> Int32 {
        guard nfa.eps.count <= Self.maxStatesPerRule else {
            throw .grammarTooLarge(rule: rules[Int(rule)].name, states: Self.maxStatesPerRule)
        }
        switch e {
        case .literal(let text):
            var cur = s
            for b in text.utf8 {
                let n = nfa.newState()
                nfa.bytes[Int(cur)].append((b, b, n))
                cur = n
            }
            return cur
        case .characterClass(let ranges, let negated):
            return emitClass(UTF8Ranges.sequences(for: ranges, negated: negated), from: s, into: &nfa)
        case .anyCharacter:
            return emitClass(UTF8Ranges.sequences(for: [], negated: true), from: s, into: &nfa)
        case .rule(let name):
            let n = nfa.newState()
            nfa.calls[Int(s)].append((ruleIndex[name] ?? 0, n))
            return n
        case .sequence(let parts):
            var cur = s
            for p in parts { cur = try emit(p, from: cur, into: &nfa, rule: rule, pending: &pending) }
            return cur
        case .choice(let parts):
            let end = nfa.newState()
            for p in parts {
                let start = nfa.newState()
                nfa.eps[Int(s)].append(start)
                let e = try emit(p, from: start, into: &nfa, rule: rule, pending: &pending)
                nfa.eps[Int(e)].append(end)
            }
            return end
        case .repetition(let x, let min, let max):
            return try emitRepetition(x, min: min, max: max, from: s, into: &nfa, rule: rule, pending: &pending)
        }
    }

    private func emitClass(_ sequences: [ByteRangeSequence], from s: Int32, into nfa: inout RuleNFA) -> Int32 {
        let end = nfa.newState()
        for seq in sequences {
            var cur = s
            for (k, r) in seq.enumerated() {
                let n = k == seq.count - 1 ? end : nfa.newState()
                nfa.bytes[Int(cur)].append((r.lowerBound, r.upperBound, n))
                cur = n
            }
        }
        return end
    }

    private mutating func emitRepetition(_ x: GrammarExpression, min: Int, max: Int?, from s: Int32,
                                         into nfa: inout RuleNFA, rule: Int32,
                                         pending: inout [(rule: Int32, expression: GrammarExpression)])
        throws(GrammarError) -> Int32 {
        let ruleName = rules[Int(rule)].name
        if min < 0 || (max ?? min) < min { throw .repetitionTooLarge(rule: ruleName, count: min) }
        if min > Self.maxRepetition { throw .repetitionTooLarge(rule: ruleName, count: min) }
        if let max, max > Self.maxRepetition { throw .repetitionTooLarge(rule: ruleName, count: max) }
        let large = min > Self.unrollLimit || (max ?? 0) > Self.unrollLimit
        if large && !nullable(x) {
            // A counted rule: its frame carries the repetition count.
            let id = Int32(rules.count)
            var counted = Grammar.Rule(name: "\(ruleName)-repeat-\(id)", start: -1)
            counted.isCounted = true
            counted.repeatMin = UInt32(min)
            counted.repeatMax = max.map(UInt32.init) ?? Grammar.unbounded
            rules.append(counted)
            pending.append((id, x))
            let n = nfa.newState()
            nfa.calls[Int(s)].append((id, n))
            return n
        }
        if max == nil && min > Self.unrollLimit {
            throw .repetitionTooLarge(rule: ruleName, count: min)
        }
        var cur = s
        for _ in 0..<min { cur = try emitFresh(x, after: cur, into: &nfa, rule: rule, pending: &pending) }
        if let max {
            // Nested optionals: each further copy may be skipped straight to the end.
            let end = nfa.newState()
            nfa.eps[Int(cur)].append(end)
            for _ in min..<max {
                cur = try emitFresh(x, after: cur, into: &nfa, rule: rule, pending: &pending)
                nfa.eps[Int(cur)].append(end)
            }
            return end
        }
        // Star: loop state with a fresh body.
        let loop = nfa.newState()
        nfa.eps[Int(cur)].append(loop)
        let bodyEnd = try emitFresh(x, after: loop, into: &nfa, rule: rule, pending: &pending)
        nfa.eps[Int(bodyEnd)].append(loop)
        let out = nfa.newState()
        nfa.eps[Int(loop)].append(out)
        return out
    }

    /// Emits `x` from a fresh state entered by an epsilon edge, so loops inside `x` cannot leak into `s`.
    private mutating func emitFresh(_ x: GrammarExpression, after s: Int32, into nfa: inout RuleNFA, rule: Int32,
                                    pending: inout [(rule: Int32, expression: GrammarExpression)])
        throws(GrammarError) -> Int32 {
        let start = nfa.newState()
        nfa.eps[Int(s)].append(start)
        return try emit(x, from: start, into: &nfa, rule: rule, pending: &pending)
    }

    /// Removes epsilon edges, keeps the states reachable from the start, and appends them as global nodes.
    private mutating func install(_ nfa: RuleNFA, end: Int32, rule: Int32) -> Int32 {
        let count = nfa.eps.count
        func closure(_ q: Int32) -> [Int32] {
            var seen = Set<Int32>([q])
            var stack = [q], out = [q]
            while let x = stack.popLast() {
                for y in nfa.eps[Int(x)] where seen.insert(y).inserted {
                    stack.append(y)
                    out.append(y)
                }
            }
            return out
        }
        var global: [Int32] = Array(repeating: -1, count: count)
        var order: [Int32] = [0]
        global[0] = Int32(nodes.count)
        var next = 0
        var built: [Grammar.Node] = []
        while next < order.count {
            let q = order[next]
            next += 1
            var node = Grammar.Node(rule: rule)
            var seenBytes = Set<[Int32]>()
            var seenCalls = Set<[Int32]>()
            for x in closure(q) {
                if x == end { node.isFinal = true }
                for (lo, hi, t) in nfa.bytes[Int(x)] where seenBytes.insert([Int32(lo), Int32(hi), t]).inserted {
                    node.byteEdges.append(Grammar.ByteEdge(lo: lo, hi: hi, target: t))
                }
                for (r, t) in nfa.calls[Int(x)] where seenCalls.insert([r, t]).inserted {
                    node.callEdges.append(Grammar.CallEdge(rule: r, target: t))
                }
            }
            for t in node.byteEdges.map(\.target) + node.callEdges.map(\.target) where global[Int(t)] < 0 {
                global[Int(t)] = Int32(nodes.count + order.count)
                order.append(t)
            }
            built.append(node)
        }
        // Rewrite local targets to global ids.
        for i in built.indices {
            for k in built[i].byteEdges.indices {
                built[i].byteEdges[k].target = global[Int(built[i].byteEdges[k].target)]
            }
            for k in built[i].callEdges.indices {
                built[i].callEdges[k].target = global[Int(built[i].callEdges[k].target)]
            }
        }
        let start = Int32(nodes.count)
        nodes += built
        return start
    }

    // MARK: - FOLLOW sets

    /// For each rule, the bytes that may come right after it completes. The matcher uses them to tell which
    /// tokens leaving a rule need the rest of the stack to be judged (a conservative superset is always safe).
    private mutating func computeFollowSets() {
        let n = nodes.count
        var canComplete = nodes.map(\.isFinal)
        func ruleNullable(_ r: Int32) -> Bool {
            let rule = rules[Int(r)]
            return rule.isCounted ? rule.repeatMin == 0 : canComplete[Int(rule.start)]
        }
        var changed = true
        while changed {
            changed = false
            for i in 0..<n where !canComplete[i] {
                if nodes[i].callEdges.contains(where: { ruleNullable($0.rule) && canComplete[Int($0.target)] }) {
                    canComplete[i] = true
                    changed = true
                }
            }
        }
        var first = [ByteSet](repeating: ByteSet(), count: n)
        for i in 0..<n { for e in nodes[i].byteEdges { first[i].insert(e.lo, e.hi) } }
        changed = true
        while changed {
            changed = false
            for i in 0..<n {
                var f = first[i]
                for c in nodes[i].callEdges {
                    f.formUnion(first[Int(rules[Int(c.rule)].start)])
                    if ruleNullable(c.rule) { f.formUnion(first[Int(c.target)]) }
                }
                let rule = rules[Int(nodes[i].rule)]
                if rule.isCounted && canComplete[i] { f.formUnion(first[Int(rule.start)]) }
                if first[i].formUnion(f) { changed = true }
            }
        }
        changed = true
        while changed {
            changed = false
            for i in 0..<n {
                let caller = nodes[i].rule
                for c in nodes[i].callEdges {
                    var f = first[Int(c.target)]
                    if canComplete[Int(c.target)] { f.formUnion(rules[Int(caller)].follow) }
                    if rules[Int(c.rule)].follow.formUnion(f) { changed = true }
                }
            }
        }
    }
}
