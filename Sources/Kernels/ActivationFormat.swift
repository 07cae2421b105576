// The formats activations (the right-hand side of a matrix product) are converted to before a dot product.
// They mirror ggml's vec_dot_type partners: Q8_0/Q8_1 for the 32-element formats, Q8_K for K-quants.

/// How one activation row is stored for the dot product against a weight row.
public enum ActivationFormat: Sendable, Equatable, Hashable, CaseIterable {
    case f32, f16, bf16, q8_0, q8_1, q8_K

    /// Elements per block.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q8_0, .q8_1: return 32
        case .q8_K: return 256
        }
    }

    /// Bytes per block, as `sizeof(block_*)` in ggml-common.h (block_q8_K: f32 d, 256 int8, 16 int16 sums).
    public var bytesPerBlock: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q8_0: return 34
        case .q8_1: return 36
        case .q8_K: return 292
        }
    }

    /// ggml's name for the type.
    public var name: String {
        switch self {
        case .f32: return "f32"
        case .f16: return "f16"
        case .bf16: return "bf16"
        case .q8_0: return "q8_0"
        case .q8_1: return "q8_1"
        case .q8_K: return "q8_K"
        }
    }

    /// Bytes one converted row of `columns` elements occupies.
    public func rowBytes(columns: Int) -> Int { columns / blockSize * bytesPerBlock }

    /// Dense index used by kernel tables.
    var index: Int {
        switch self {
        case .f32: return 0
        case .f16: return 1
        case .bf16: return 2
        case .q8_0: return 3
        case .q8_1: return 4
        case .q8_K: return 5
        }
    }
}
