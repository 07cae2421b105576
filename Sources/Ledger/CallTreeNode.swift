// One call in a call tree, with its children and the exact totals of its whole subtree.
// The TUI's call-tree pane and `tokenworks log --tree` draw these.

/// A call and the calls it made, recursively.
public struct CallTreeNode: Hashable, Sendable, Identifiable {
    public var record: CallRecord
    /// The calls this one made, oldest first.
    public var children: [CallTreeNode]
    /// This call's own totals plus those of all its descendants.
    public var totals: CallTotals

    public init(record: CallRecord, children: [CallTreeNode]) {
        self.record = record
        self.children = children
        self.totals = children.reduce(CallTotals(record)) { $0 + $1.totals }
    }

    public var id: String { record.id }

    /// Every node of the subtree in depth-first pre-order with its depth (0 for this node): the rows of a tree view.
    public func depthFirst() -> [(depth: Int, node: CallTreeNode)] {
        var result: [(depth: Int, node: CallTreeNode)] = []
        var stack: [(Int, CallTreeNode)] = [(0, self)]
        while let (depth, node) = stack.popLast() {
            result.append((depth, node))
            for child in node.children.reversed() { stack.append((depth + 1, child)) }
        }
        return result
    }
}
