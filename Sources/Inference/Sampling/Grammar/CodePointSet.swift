// A set of Unicode scalars as sorted ranges: what one regex character class, `.` or `\d` matches, with the set
// algebra (negation, union, intersection) that classes and JSON string escaping need.

/// Unicode scalar values (surrogates D800–DFFF excluded, since no UTF-8 text holds them) as sorted, merged,
/// non-adjacent ranges. Regex classes are built as values of this type before they become grammar classes, so
/// that negation and the split into raw and JSON-escaped characters are exact.
struct CodePointSet: Sendable, Equatable {
    /// Sorted, non-overlapping, non-adjacent ranges inside 0...0x10FFFF, without surrogates.
    private(set) var ranges: [ClosedRange<UInt32>]

    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = UTF8Ranges.merge(
            ranges.filter { $0.lowerBound <= UTF8Ranges.maxScalar }
                .map { $0.lowerBound...min($0.upperBound, UTF8Ranges.maxScalar) }
                .flatMap(UTF8Ranges.removeSurrogates))
    }

    /// One scalar.
    init(_ scalar: UInt32) { self.init([scalar...scalar]) }

    /// The scalars of a string, e.g. `CodePointSet(characters: "+-")`.
    init(characters: String) { self.init(characters.unicodeScalars.map { $0.value...$0.value }) }

    static let empty = CodePointSet([])
    /// Every scalar.
    static let all = CodePointSet([0...UTF8Ranges.maxScalar])

    var isEmpty: Bool { ranges.isEmpty }

    /// The scalar, when the set holds exactly one.
    var singleScalar: UInt32? {
        ranges.count == 1 && ranges[0].lowerBound == ranges[0].upperBound ? ranges[0].lowerBound : nil
    }

    func contains(_ scalar: UInt32) -> Bool { ranges.contains { $0.contains(scalar) } }

    /// Every scalar not in the set.
    var inverted: CodePointSet { CodePointSet(UTF8Ranges.complement(ranges)) }

    func union(_ other: CodePointSet) -> CodePointSet { CodePointSet(ranges + other.ranges) }

    func intersection(_ other: CodePointSet) -> CodePointSet { inverted.union(other.inverted).inverted }

    func subtracting(_ other: CodePointSet) -> CodePointSet { intersection(other.inverted) }

    /// The scalars one by one (only for small sets, such as the control characters a class holds).
    var scalars: [UInt32] { ranges.flatMap { Array($0) } }
}
