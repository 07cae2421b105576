// The recognizer's states — deduplicated sets of rule stacks — interned and connected by lazily computed,
// memoized byte transitions (a lazy DFA). Every matcher operation is table lookups once a state has been seen.

/// Interned recognizer states and their byte transitions.
///
/// A stack is a list of frames, bottom first; a frame packs a node id (high 32 bits) and a repetition counter
/// (low 32 bits, only meaningful in counted rules). A state is a set of stacks whose top nodes all have byte
/// edges, plus possibly the empty stack, which means "the start rule is complete here". Sets are deduplicated,
/// so ambiguous grammars stay polynomial.
struct GrammarStateTable: Sendable {
    static let dead: Int32 = -1
    static let unknown: Int32 = -2
    /// A counter value standing for "far from both bounds": used in cache keys so all such counts share entries.
    static let free: UInt32 = .max
    /// The most stack frames one transition may visit while closing its stacks. Recursion inside an ambiguous
    /// repetition (the gbnf fuzz target's `root ::= ("a" | [^0]root)* x`) makes each byte add a stack one frame
    /// deeper than the last, and closing those stacks costs the cube of the depth (minutes for a 2,000-byte text).
    /// Past this budget the transition is dead — the text is refused as if the grammar rejected it — so every byte
    /// costs at most a few milliseconds; JSON-schema grammars visit a few hundred frames per byte.
    static let maxClosureFrames = 1 << 20

    let grammar: Grammar
    private(set) var stacks: [[[UInt64]]] = []
    private(set) var hasEmpty: [Bool] = []
    /// `state << 8 | byte` → next state, `dead`, or `unknown`.
    private(set) var transitions: [Int32] = []
    private var index: [[UInt64]: Int32] = [:]

    init(grammar: Grammar) { self.grammar = grammar }

    var stateCount: Int { stacks.count }

    static func frame(node: Int32, counter: UInt32) -> UInt64 { UInt64(UInt32(bitPattern: node)) << 32 | UInt64(counter) }
    static func node(of frame: UInt64) -> Int { Int(frame >> 32) }
    static func counter(of frame: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: frame) }

    /// The id of a set of stacks (any order, duplicates allowed), adding it if new.
    mutating func intern(_ set: [[UInt64]]) -> Int32 {
        var sorted = set.sorted { $0.lexicographicallyPrecedes($1) }
        var unique: [[UInt64]] = []
        for s in sorted where unique.last != s { unique.append(s) }
        sorted = unique
        var key: [UInt64] = []
        for s in sorted {
            key.append(UInt64(s.count))
            key += s
        }
        if let id = index[key] { return id }
        let id = Int32(stacks.count)
        index[key] = id
        stacks.append(sorted)
        hasEmpty.append(sorted.contains(where: \.isEmpty))
        transitions.append(contentsOf: repeatElement(Self.unknown, count: 256))
        return id
    }

    /// The state after reading byte `b` in state `s`.
    @inline(__always)
    mutating func next(_ s: Int32, _ b: UInt8) -> Int32 {
        let slot = Int(s) << 8 | Int(b)
        let cached = transitions[slot]
        if cached != Self.unknown { return cached }
        return computeNext(s, b)
    }

    /// Computes the transition on `b` and stores it for every byte that matches exactly the same edges (the
    /// byte's class in this state), so a string state costs a dozen computations rather than one per byte.
    private mutating func computeNext(_ s: Int32, _ b: UInt8) -> Int32 {
        var out = Set<[UInt64]>()
        var budget = Self.maxClosureFrames
        var sameEdges = ByteSet.all
        for stack in stacks[Int(s)] {
            guard let top = stack.last else { continue }
            let c = Self.counter(of: top)
            for e in grammar.nodes[Self.node(of: top)].byteEdges {
                let range = ByteSet(e.lo, e.hi)
                guard e.lo <= b && b <= e.hi else {
                    sameEdges = sameEdges.subtracting(range)
                    continue
                }
                sameEdges = sameEdges.intersection(range)
                var t = stack
                t[t.count - 1] = Self.frame(node: e.target, counter: c)
                close(t, into: &out, budget: &budget)
                if budget < 0 { break }
            }
            if budget < 0 { break }
        }
        let row = Int(s) << 8
        if budget < 0 {
            // The edge scan stopped early, so `sameEdges` is unreliable: refuse this byte only.
            transitions[row | Int(b)] = Self.dead
            return Self.dead
        }
        let result = out.isEmpty ? Self.dead : intern(Array(out))
        for byte in sameEdges.members { transitions[row | Int(byte)] = result }
        transitions[row | Int(b)] = result
        return result
    }

    /// Adds to `out` every stack reachable from `start` without reading a byte whose top can read one (or the
    /// empty stack): completed rules return to their caller, calls push the callee, counted rules loop. Each
    /// stack visited takes its frames from `budget`; below zero the closure stops (the caller refuses the state).
    func close(_ start: [UInt64], into out: inout Set<[UInt64]>, budget: inout Int) {
        var visited = Set<[UInt64]>()
        var work = [start]
        while let stack = work.popLast() {
            guard visited.insert(stack).inserted else { continue }
            budget -= stack.count + 1
            if budget < 0 { return }
            guard let top = stack.last else {
                out.insert(stack)
                continue
            }
            let node = Self.node(of: top), c = Self.counter(of: top)
            let nd = grammar.nodes[node]
            let rule = grammar.rules[Int(nd.rule)]
            if !nd.byteEdges.isEmpty { out.insert(stack) }
            if rule.isCounted && Int32(node) == rule.start && c == 0 && rule.repeatMin == 0 {
                work.append(Array(stack.dropLast()))
            }
            for call in nd.callEdges {
                let callee = grammar.rules[Int(call.rule)]
                let ret = grammar.nodes[Int(call.target)]
                var s = stack
                if !rule.isCounted && ret.isFinal && ret.byteEdges.isEmpty && ret.callEdges.isEmpty {
                    s.removeLast()  // a tail call: nothing is left to do in this frame
                } else {
                    s[s.count - 1] = Self.frame(node: call.target, counter: c)
                }
                s.append(Self.frame(node: callee.start, counter: 0))
                work.append(s)
            }
            if nd.isFinal {
                if rule.isCounted {
                    let next: UInt32
                    if c == Self.free {
                        next = Self.free
                    } else if rule.repeatMax == Grammar.unbounded {
                        next = min(c + 1, rule.repeatMin)
                    } else {
                        next = c + 1
                    }
                    if next == Self.free || next >= rule.repeatMin { work.append(Array(stack.dropLast())) }
                    if next == Self.free || next < rule.repeatMax {
                        var s = stack
                        s[s.count - 1] = Self.frame(node: rule.start, counter: next)
                        work.append(s)
                    }
                } else {
                    work.append(Array(stack.dropLast()))
                }
            }
        }
    }

    /// The interned closure of one stack.
    mutating func closedState(of stack: [UInt64]) -> Int32 {
        var out = Set<[UInt64]>()
        var budget = Self.maxClosureFrames
        close(stack, into: &out, budget: &budget)
        return out.isEmpty || budget < 0 ? Self.dead : intern(Array(out))
    }
}
