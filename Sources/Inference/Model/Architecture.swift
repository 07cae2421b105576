// The model families the forward pass supports, and the few ways in which they differ.

/// A supported `general.architecture`; the llama family shares one forward pass and differs only in details.
public enum Architecture: String, Sendable, CaseIterable {
    case llama
    case qwen2
    case mistral

    /// How rotary position embedding pairs up dimensions. GGUF llama/mistral weights are permuted by the
    /// converter so adjacent pairs rotate (ggml's "normal" mode); Qwen2 keeps HF's half-split (NeoX) order.
    public enum RopeStyle: Sendable { case adjacentPairs, halfSplit }

    public var ropeStyle: RopeStyle {
        switch self {
        case .llama, .mistral: return .adjacentPairs
        case .qwen2: return .halfSplit
        }
    }

    /// Qwen2 adds biases to the Q, K and V projections; the others have none.
    public var hasQKVBias: Bool { self == .qwen2 }
}
