// The storage formats a weight matrix row can have, named and sized exactly as ggml's tensor types.
// A format knows its block geometry and which activation format its integer dot product pairs with.

/// A ggml tensor type that Kernels can read as matrix rows.
///
/// Why an enum of its own rather than GGUF's tensor type: Kernels sits below GGUF in the target graph, and only
/// the formats listed here have kernels; the ggml type id is the bridge between the two.
public enum WeightFormat: Sendable, Equatable, Hashable, CaseIterable {
    case f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q2_K, q3_K, q4_K, q5_K, q6_K

    /// Maps a ggml type id (as stored in a GGUF tensor info) to a format; nil for types Kernels cannot read.
    public init?(ggmlType: UInt32) {
        switch ggmlType {
        case 0: self = .f32
        case 1: self = .f16
        case 2: self = .q4_0
        case 3: self = .q4_1
        case 6: self = .q5_0
        case 7: self = .q5_1
        case 8: self = .q8_0
        case 10: self = .q2_K
        case 11: self = .q3_K
        case 12: self = .q4_K
        case 13: self = .q5_K
        case 14: self = .q6_K
        case 30: self = .bf16
        default: return nil
        }
    }

    /// The ggml type id of this format (inverse of `init?(ggmlType:)`).
    public var ggmlType: UInt32 {
        switch self {
        case .f32: return 0
        case .f16: return 1
        case .q4_0: return 2
        case .q4_1: return 3
        case .q5_0: return 6
        case .q5_1: return 7
        case .q8_0: return 8
        case .q2_K: return 10
        case .q3_K: return 11
        case .q4_K: return 12
        case .q5_K: return 13
        case .q6_K: return 14
        case .bf16: return 30
        }
    }

    /// Elements per block (a row's column count must be a multiple of it).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1: return 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: return 256
        }
    }

    /// Bytes per block, as `sizeof(block_*)` in ggml-common.h.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q8_0: return 34
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q2_K: return 84
        case .q3_K: return 110
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        }
    }

    /// ggml's name for the type ("q4_1", "q4_K", "f16"), used in messages and benchmarks.
    public var name: String {
        switch self {
        case .f32: return "f32"
        case .f16: return "f16"
        case .bf16: return "bf16"
        case .q8_0: return "q8_0"
        case .q4_0: return "q4_0"
        case .q4_1: return "q4_1"
        case .q5_0: return "q5_0"
        case .q5_1: return "q5_1"
        case .q2_K: return "q2_K"
        case .q3_K: return "q3_K"
        case .q4_K: return "q4_K"
        case .q5_K: return "q5_K"
        case .q6_K: return "q6_K"
        }
    }

    /// The format activations are converted to before a dot product with rows of this format
    /// (ggml-cpu's `type_traits_cpu[type].vec_dot_type`), so results follow llama.cpp's numerics.
    public var activationFormat: ActivationFormat {
        switch self {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        case .q8_0, .q4_0, .q5_0: return .q8_0
        case .q4_1, .q5_1: return .q8_1
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: return .q8_K
        }
    }

    /// Bytes one row of `columns` elements occupies (columns must be a multiple of `blockSize`).
    public func rowBytes(columns: Int) -> Int { columns / blockSize * bytesPerBlock }

    /// Dense index used by kernel tables.
    var index: Int {
        switch self {
        case .f32: return 0
        case .f16: return 1
        case .bf16: return 2
        case .q8_0: return 3
        case .q4_0: return 4
        case .q4_1: return 5
        case .q5_0: return 6
        case .q5_1: return 7
        case .q2_K: return 8
        case .q3_K: return 9
        case .q4_K: return 10
        case .q5_K: return 11
        case .q6_K: return 12
        }
    }
}

extension WeightFormat: CustomStringConvertible {
    public var description: String { name }
}
