// Which speculative drafters a generation uses and how far they may draft.

/// A way to propose tokens ahead of the target model.
public enum DrafterKind: Sendable, Equatable, CustomStringConvertible {
    /// n-gram lookup in the prompt and the text so far: free, strong when output echoes input (code, tool output).
    case lookup
    /// The target's own first layers with early exit: no second model, shares weights and cache.
    case selfDraft(exitLayer: Int?)
    /// A small model with the same vocabulary (loaded with the engine: `EngineOptions.draftModelPath`).
    case draftModel

    public var description: String {
        switch self {
        case .lookup: return "lookup"
        case .selfDraft(let l): return l.map { "self:\($0)" } ?? "self"
        case .draftModel: return "draft"
        }
    }
}

/// Speculative decoding settings of one request. Output is identical with or without them (greedy: token for
/// token; sampling: the same distribution); only speed changes.
public struct SpeculationOptions: Sendable, Equatable {
    /// Drafters tried in order until one proposes something (e.g. lookup first, then the draft model).
    public var drafters: [DrafterKind]
    /// The longest draft verified in one pass.
    public var maxDraft: Int
    /// Pick the draft length from the running acceptance rate and measured verification cost, and stop
    /// drafting when it does not pay.
    public var adaptive: Bool

    /// The default longest draft is 15: a 16-row verification, the slow start's third length (3 → 7 → 15).
    public init(drafters: [DrafterKind], maxDraft: Int = 15, adaptive: Bool = true) {
        self.drafters = drafters
        self.maxDraft = maxDraft
        self.adaptive = adaptive
    }

    public static let none = SpeculationOptions(drafters: [])
    /// The default: prompt lookup, adaptive (it costs nothing when it finds no match).
    public static let lookup = SpeculationOptions(drafters: [.lookup])

    public var isEnabled: Bool { !drafters.isEmpty && maxDraft > 0 }

    /// Parses `none`, `lookup`, `self`, `self:N`, `draft` and combinations joined by `+` (`lookup+draft`).
    public init(parsing text: String) throws(InferenceError) {
        var kinds: [DrafterKind] = []
        for part in text.split(separator: "+").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch part {
            case "none", "off", "": continue
            case "lookup", "ngram": kinds.append(.lookup)
            case "self": kinds.append(.selfDraft(exitLayer: nil))
            case "draft": kinds.append(.draftModel)
            default:
                if part.hasPrefix("self:"), let n = Int(part.dropFirst(5)), n > 0 {
                    kinds.append(.selfDraft(exitLayer: n))
                } else if part.hasPrefix("draft:") {
                    kinds.append(.draftModel)
                } else {
                    throw .invalidParameter(name: "--spec", value: text,
                                            expected: "none, lookup, self[:LAYERS], draft:PATH or a '+' combination")
                }
            }
        }
        self.init(drafters: kinds)
    }
}
