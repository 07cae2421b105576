// Splits an area into rows or columns by constraints (ratatui's Layout, simplified): fixed sizes first, then
// percentages, then what is left shared among fills by weight. Deterministic and never negative.

/// How much room one part of a split asks for.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (less if the area is too small).
    case fixed(Int)
    /// `p` percent of the whole area (rounded down).
    case percent(Int)
    /// A share of what remains after fixed and percent parts, proportional to the weight.
    case fill(Int)

    /// A fill with weight 1.
    public static let fill = Constraint.fill(1)
}

/// A vertical or horizontal split of an area.
public struct Layout: Hashable, Sendable {
    public enum Direction: Hashable, Sendable {
        /// Parts stacked top to bottom.
        case vertical
        /// Parts side by side, left to right.
        case horizontal
    }

    public var direction: Direction
    public var constraints: [Constraint]
    /// Empty cells between neighbouring parts.
    public var spacing: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = spacing
    }

    public static func vertical(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(.vertical, constraints, spacing: spacing)
    }

    public static func horizontal(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(.horizontal, constraints, spacing: spacing)
    }

    /// The parts of `area`, one per constraint, in order.
    ///
    /// When fixed and percent parts ask for more than there is, later parts are shrunk first (so a status bar
    /// listed first keeps its row). Fill parts share the remainder by weight; the rounding remainder goes to
    /// the earliest fills, so sizes always add up to the area exactly.
    public func split(_ area: Rect) -> [Rect] {
        guard !constraints.isEmpty else { return [] }
        let total = direction == .vertical ? area.height : area.width
        let gaps = max(0, spacing) * (constraints.count - 1)
        var available = max(0, total - gaps)
        var sizes = Array(repeating: 0, count: constraints.count)
        for (i, c) in constraints.enumerated() {
            switch c {
            case .fixed(let n):
                sizes[i] = min(max(0, n), available)
            case .percent(let p):
                sizes[i] = min(max(0, total * max(0, min(p, 100)) / 100), available)
            case .fill:
                continue
            }
            available -= sizes[i]
        }
        let weights = constraints.map { c -> Int in if case .fill(let w) = c { return max(0, w) } else { return 0 } }
        let totalWeight = weights.reduce(0, +)
        if totalWeight > 0 {
            var given = 0
            for i in sizes.indices where weights[i] > 0 {
                sizes[i] = available * weights[i] / totalWeight
                given += sizes[i]
            }
            var rest = available - given
            for i in sizes.indices where weights[i] > 0 && rest > 0 {
                sizes[i] += 1
                rest -= 1
            }
        }
        var rects: [Rect] = []
        var offset = direction == .vertical ? area.y : area.x
        for s in sizes {
            switch direction {
            case .vertical: rects.append(Rect(x: area.x, y: offset, width: area.width, height: s))
            case .horizontal: rects.append(Rect(x: offset, y: area.y, width: s, height: area.height))
            }
            offset += s + max(0, spacing)
        }
        return rects
    }
}
