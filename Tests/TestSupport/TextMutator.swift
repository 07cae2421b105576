// Deterministic corruption of text inputs for the per-parser mutation tests: byte flips, format tokens spliced in,
// ranges deleted, duplicated or repeated hundreds of times, truncations. The same seed gives the same inputs.
import Foundation

/// Mutates text the way a fuzzer would, but from a fixed seed and with the format's own tokens as a dictionary,
/// so a few thousand inputs reach past the first syntax check into the parser's deeper states.
///
/// ```swift
/// var mutator = TextMutator(seeds: [yaml], dictionary: [":", "- ", "&a ", "*a"])
/// var random = MutationRandom(seed: 1)
/// let input = mutator.next(&random)
/// ```
public struct TextMutator: Sendable {
    /// Valid inputs to start from.
    public var seeds: [[UInt8]]
    /// Fragments of the format (keywords, brackets, delimiters) spliced in at random places.
    public var dictionary: [[UInt8]]

    public init(seeds: [String], dictionary: [String]) {
        self.seeds = seeds.map { Array($0.utf8) }
        self.dictionary = dictionary.map { Array($0.utf8) }
    }

    /// Values that make numbers absurd when written over a number.
    private static let numbers = ["0", "-1", "99999999999999999999", "1e308", "-1e400", "2147483648", "65536",
                                  "100001", "NaN", ".5", "0x10", "1_000"]

    /// One to four mutations of a random seed.
    public func next(_ random: inout MutationRandom) -> String {
        var bytes = seeds[random.next(below: seeds.count)]
        for _ in 0...random.next(below: 4) { mutate(&bytes, &random) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every prefix of every seed at a UTF-8 character boundary: the inputs a cut-off file or stream produces.
    public func truncations() -> [String] {
        seeds.flatMap { seed in
            (0..<seed.count).compactMap { length -> String? in
                guard length == seed.count || seed[length] & 0xC0 != 0x80 else { return nil }
                return String(decoding: seed[..<length], as: UTF8.self)
            }
        }
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout MutationRandom) {
        let at = random.next(below: bytes.count + 1)
        switch random.next(below: 11) {
        case 0 where !bytes.isEmpty:  // overwrite a byte with any value
            bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
        case 1 where !bytes.isEmpty:  // overwrite a byte with printable ASCII
            bytes[min(at, bytes.count - 1)] = UInt8(32 + random.next(below: 95))
        case 2, 3:  // splice in a token of the format
            if !dictionary.isEmpty { bytes.insert(contentsOf: dictionary[random.next(below: dictionary.count)], at: at) }
        case 4:  // delete a range
            bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.next(below: 24)))
        case 5:  // duplicate a range in place
            let end = min(bytes.count, at + 1 + random.next(below: 40))
            bytes.insert(contentsOf: Array(bytes[at..<end]), at: end)
        case 6:  // repeat a short range many times (deep nesting, long lines)
            let end = min(bytes.count, at + 1 + random.next(below: 4))
            let piece = Array(bytes[at..<end])
            let times = [10, 100, 300, 1000][random.next(below: 4)]
            for _ in 0..<times { bytes.insert(contentsOf: piece, at: end) }
        case 7:  // replace a run of digits (or insert) an absurd number
            let number = Array(Self.numbers[random.next(below: Self.numbers.count)].utf8)
            var end = at
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
            bytes.replaceSubrange(at..<end, with: number)
        case 8:  // move a range elsewhere
            let end = min(bytes.count, at + 1 + random.next(below: 30))
            let piece = Array(bytes[at..<end])
            bytes.removeSubrange(at..<end)
            bytes.insert(contentsOf: piece, at: random.next(below: bytes.count + 1))
        case 9:  // splice the tail of another seed
            let other = seeds[random.next(below: seeds.count)]
            bytes.removeSubrange(at...)
            bytes.append(contentsOf: other[random.next(below: other.count + 1)...])
        default:  // truncate
            bytes.removeSubrange(at...)
        }
    }
}

/// What one mutation run saw: how many inputs were accepted and refused, the slowest input, and the refusals
/// whose message does not say where the problem is.
public struct MutationReport: Sendable {
    public var accepted = 0
    public var refused = 0
    public var slowest: Duration = .zero
    public var slowestInput = ""
    /// Refusal messages that failed the caller's "names where" check, with their inputs (at most 5 kept).
    public var unlocated: [(input: String, message: String)] = []
    public var elapsed: Duration = .zero

    public init() {}
}

/// The outcome of feeding one input to a parser.
public enum MutationOutcome: Sendable {
    case accepted
    /// Refused with this message; `located` says whether it names where the problem is.
    case refused(message: String, located: Bool)
}

extension TextMutator {
    /// Feeds `count` mutated inputs plus every truncation of the seeds to `body`, timing each.
    public func run(count: Int, seed: UInt64, _ body: (String) -> MutationOutcome) -> MutationReport {
        var random = MutationRandom(seed: seed)
        var report = MutationReport()
        let clock = ContinuousClock()
        let start = clock.now
        let inputs = truncations()
        for index in 0..<(count + inputs.count) {
            let input = index < count ? next(&random) : inputs[index - count]
            let before = clock.now
            let outcome = body(input)
            let took = clock.now - before
            if took > report.slowest {
                report.slowest = took
                report.slowestInput = String(input.prefix(300))
            }
            switch outcome {
            case .accepted: report.accepted += 1
            case .refused(let message, let located):
                report.refused += 1
                if !located || message.isEmpty, report.unlocated.count < 5 {
                    report.unlocated.append((String(input.prefix(300)), message))
                }
            }
        }
        report.elapsed = clock.now - start
        return report
    }
}
