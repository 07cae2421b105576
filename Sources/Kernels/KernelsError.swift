// The one error type of the Kernels target: shapes and formats rejected at the API boundary, so the hot path
// never has to check (and never traps) on data that came from a file.
import Foundation

/// Why a matrix or kernel request was refused; each message says what is wrong and what to do.
public enum KernelsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The row length is not a whole number of blocks of the format.
    case misalignedColumns(format: WeightFormat, columns: Int)
    /// A negative or zero dimension.
    case invalidShape(rows: Int, columns: Int)
    /// A format with no kernels in this build.
    case formatNotImplemented(WeightFormat)
    /// A ggml type id Kernels does not know.
    case unknownGGMLType(UInt32)

    public var description: String {
        switch self {
        case .misalignedColumns(let format, let columns):
            return "a \(format.name) row has \(columns) columns, which is not a multiple of its block size "
                + "\(format.blockSize): the tensor shape is corrupt or the tensor is stored transposed"
        case .invalidShape(let rows, let columns):
            return "matrix shape \(rows)×\(columns) is invalid: both dimensions must be positive"
        case .formatNotImplemented(let format):
            return "weights in \(format.name) have no kernels yet: convert the model to q4_0, q4_1, q8_0, f16, "
                + "bf16 or f32"
        case .unknownGGMLType(let id):
            return "ggml tensor type \(id) is not supported: convert the model to a supported quantization"
        }
    }

    public var errorDescription: String? { description }
}
