// Roll-ups over call records already in memory: call trees and grouped totals.
// The store uses these after fetching; the TUI uses them on the records of the run in progress.

/// Pure functions from call records to trees and totals.
public enum LedgerQuery {
    /// The call trees formed by `records` (given oldest first), roots oldest first.
    ///
    /// A record whose parent is not among `records` (written later, still in flight, or lost when a process was
    /// killed) becomes a root, so nothing is dropped. Built without recursion, and parent cycles (possible only
    /// in a damaged file) are cut, so no input can exhaust the stack or loop forever.
    public static func trees(of records: [CallRecord]) -> [CallTreeNode] {
        var indexOfID: [String: Int] = [:]
        for (index, record) in records.enumerated() where indexOfID[record.id] == nil {
            indexOfID[record.id] = index
        }
        var children = Array(repeating: [Int](), count: records.count)
        var rootCandidates: [Int] = []
        for (index, record) in records.enumerated() {
            if let parentID = record.parentID, let parent = indexOfID[parentID], parent != index,
               indexOfID[record.id] == index {
                children[parent].append(index)
            } else {
                rootCandidates.append(index)
            }
        }

        var visited = Array(repeating: false, count: records.count)
        var built: [Int: CallTreeNode] = [:]
        var roots: [(Int, CallTreeNode)] = []

        /// Builds the subtree at `root` bottom-up from an explicit post-order.
        func build(from root: Int) {
            var order: [Int] = []
            var stack = [root]
            visited[root] = true
            while let index = stack.popLast() {
                order.append(index)
                for child in children[index] where !visited[child] {
                    visited[child] = true
                    stack.append(child)
                }
            }
            for index in order.reversed() {
                let kids = children[index].compactMap { built.removeValue(forKey: $0) }
                built[index] = CallTreeNode(record: records[index], children: kids)
            }
            if let node = built.removeValue(forKey: root) { roots.append((root, node)) }
        }

        for index in rootCandidates where !visited[index] { build(from: index) }
        // Whatever is left sits on a parent cycle: start a tree at its oldest member.
        for index in records.indices where !visited[index] { build(from: index) }
        return roots.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Totals of all `records`.
    public static func total(of records: [CallRecord]) -> CallTotals {
        records.reduce(.zero) { $0 + CallTotals($1) }
    }

    /// Totals of `records` per key of `grouping`, the nil key first, then keys in byte order.
    public static func totals(of records: [CallRecord], by grouping: LedgerGrouping) -> [GroupTotals] {
        var sums: [String?: CallTotals] = [:]
        for record in records {
            sums[grouping.key(of: record), default: .zero] += CallTotals(record)
        }
        return sums.map { GroupTotals(key: $0.key, totals: $0.value) }.sorted(by: GroupTotals.precedes)
    }
}
