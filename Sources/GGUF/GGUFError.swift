// Everything that can go wrong reading or writing a GGUF file, each case with the key, tensor or byte offset
// involved; the text (what is wrong and what to do) is written once, in `description`.
import Foundation


/// The one error type of the GGUF target. Cases carry the context a user needs to act on (which key, which
/// tensor, which byte), and `description` says what is wrong and what to do; tests pin that text.
public enum GGUFError: Error, CustomStringConvertible, LocalizedError, Equatable {
    // MARK: Files
    /// The file could not be opened or mapped (`reason` is the system's explanation).
    case cannotOpen(path: String, reason: String)
    /// The file could not be written (`reason` is the system's explanation).
    case cannotWrite(path: String, reason: String)

    // MARK: Header and framing
    /// Fewer bytes remain than the item at `offset` needs.
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    /// The first four bytes are not "GGUF".
    case badMagic(found: [UInt8])
    /// A version this reader does not handle (1, a big-endian file, or a future version).
    case unsupportedVersion(UInt32)
    /// A count (keys, tensors, array elements) larger than the bytes left in the file could hold.
    case countTooLarge(what: String, offset: Int, count: UInt64, limit: Int)
    /// A string length beyond the cap or beyond the end of the file.
    case stringTooLong(what: String, offset: Int, length: UInt64, limit: Int)
    /// A key, string value or tensor name that is not valid UTF-8.
    case invalidUTF8(what: String, offset: Int)
    /// A metadata key of length zero (index is the key's position in the file).
    case emptyKey(index: Int, offset: Int)
    /// The same metadata key twice.
    case duplicateKey(key: String, offset: Int)
    /// A value type code outside 0...12.
    case unknownValueType(key: String, offset: Int, rawType: UInt32)
    /// A BOOL byte other than 0 or 1.
    case invalidBool(key: String, offset: Int, raw: UInt8)
    /// Arrays nested deeper than the reader allows.
    case arrayNestingTooDeep(key: String, offset: Int, limit: Int)
    /// `general.alignment` of the wrong type, zero, or not a power of two (`found` describes the value).
    case invalidAlignment(found: String, offset: Int)

    // MARK: Tensor table
    /// The same tensor name twice.
    case duplicateTensor(name: String, offset: Int)
    /// A tensor name of 64 bytes or more (ggml's limit) or of zero length.
    case invalidTensorName(name: String, offset: Int)
    /// A number of dimensions outside 1...4.
    case invalidDimensionCount(tensor: String, offset: Int, count: UInt32)
    /// A dimension that is zero or does not fit a signed 64-bit integer.
    case invalidDimension(tensor: String, offset: Int, index: Int, value: UInt64)
    /// Dimensions whose product (elements or bytes) overflows.
    case shapeOverflow(tensor: String, offset: Int, dimensions: [UInt64])
    /// A ggml type code this reader does not know (or one ggml removed).
    case unknownTensorType(tensor: String, offset: Int, rawType: UInt32)
    /// A row length that is not a whole number of the type's blocks.
    case rowNotMultipleOfBlock(tensor: String, offset: Int, type: String, rowLength: Int, blockSize: Int)
    /// A data offset that is not a multiple of the file's alignment.
    case misalignedTensor(tensor: String, offset: Int, dataOffset: UInt64, alignment: Int)
    /// Tensor data that would reach past the end of the file (`start` is absolute, saturating).
    case tensorOutOfBounds(tensor: String, offset: Int, start: UInt64, byteCount: Int, fileSize: Int)

    // MARK: Lookups
    /// A required metadata key is absent.
    case missingKey(String)
    /// A metadata key holds another type than the caller needs.
    case typeMismatch(key: String, expected: String, found: String)
    /// A metadata value of the right kind that does not fit the requested Swift type.
    case valueOutOfRange(key: String, value: String, expected: String)

    // MARK: Writer
    /// A tensor handed to the writer is inconsistent (wrong byte count, duplicate name, bad shape...).
    case invalidTensor(name: String, reason: String)

    private static let downloadAgain = "the file is truncated or not a GGUF model: download it again"
    private static let corrupt = "the file is corrupt or not a GGUF model: download it again"

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open GGUF file \(path): \(reason). Check the path and its permissions."
        case .cannotWrite(let path, let reason):
            return "cannot write GGUF file \(path): \(reason). Check the directory exists, is writable and has space."
        case .truncated(let what, let offset, let needed, let available):
            return "GGUF data ends early at byte \(offset) while reading \(what): needed \(needed) bytes, "
                + "\(available) remain; \(Self.downloadAgain)."
        case .badMagic(let found):
            let hex = found.map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return digits.count == 1 ? "0" + digits : digits
            }.joined(separator: " ")
            return "not a GGUF file: it starts with bytes \(hex), expected \"GGUF\" (47 47 55 46); "
                + "check that the path points at a .gguf model."
        case .unsupportedVersion(let version):
            if version == 1 {
                return "GGUF version 1 is not supported (it predates 64-bit counts): convert the model again with "
                    + "a current llama.cpp or download a GGUF v3 file."
            }
            if version.byteSwapped == 2 || version.byteSwapped == 3 {
                return "GGUF file is big-endian (version field reads \(version)): only little-endian files are "
                    + "supported; convert it with gguf-py's gguf_convert_endian.py or download a little-endian file."
            }
            return "GGUF version \(version) is not supported (this reader handles versions 2 and 3): "
                + "update Tokenworks or use a GGUF v3 file."
        case .countTooLarge(let what, let offset, let count, let limit):
            return "\(what) at byte \(offset) is \(count), more than the \(limit) the rest of the file can hold; "
                + "\(Self.corrupt)."
        case .stringTooLong(let what, let offset, let length, let limit):
            return "\(what) at byte \(offset) declares a string of \(length) bytes, more than the \(limit) allowed "
                + "there; \(Self.corrupt)."
        case .invalidUTF8(let what, let offset):
            return "\(what) at byte \(offset) is not valid UTF-8; \(Self.corrupt)."
        case .emptyKey(let index, let offset):
            return "metadata key #\(index) at byte \(offset) is empty; \(Self.corrupt)."
        case .duplicateKey(let key, let offset):
            return "metadata key '\(key)' appears twice (second at byte \(offset)); the file is malformed: "
                + "re-convert or download it again."
        case .unknownValueType(let key, let offset, let rawType):
            return "metadata key '\(key)' at byte \(offset) has unknown value type \(rawType) (known: 0-12); "
                + "\(Self.corrupt)."
        case .invalidBool(let key, let offset, let raw):
            return "metadata key '\(key)' has a BOOL byte \(raw) at byte \(offset) (must be 0 or 1); "
                + "\(Self.corrupt)."
        case .arrayNestingTooDeep(let key, let offset, let limit):
            return "metadata key '\(key)' nests arrays deeper than \(limit) levels at byte \(offset); "
                + "\(Self.corrupt)."
        case .invalidAlignment(let found, let offset):
            return "general.alignment at byte \(offset) is \(found), but must be a UINT32 power of two; "
                + "the file is malformed: re-convert or download it again."
        case .duplicateTensor(let name, let offset):
            return "tensor '\(name)' appears twice (second at byte \(offset)); the file is malformed: "
                + "re-convert or download it again."
        case .invalidTensorName(let name, let offset):
            return "tensor name '\(name)' at byte \(offset) must be 1 to 63 bytes long (it has "
                + "\(name.utf8.count)); the file is malformed: re-convert it."
        case .invalidDimensionCount(let tensor, let offset, let count):
            return "tensor '\(tensor)' at byte \(offset) has \(count) dimensions (must be 1 to 4); \(Self.corrupt)."
        case .invalidDimension(let tensor, let offset, let index, let value):
            return "tensor '\(tensor)' at byte \(offset) has dimension \(index) = \(value) (must be 1 to 2^63-1); "
                + "\(Self.corrupt)."
        case .shapeOverflow(let tensor, let offset, let dimensions):
            return "tensor '\(tensor)' at byte \(offset) has shape \(dimensions), whose size overflows; "
                + "\(Self.corrupt)."
        case .unknownTensorType(let tensor, let offset, let rawType):
            return "tensor '\(tensor)' at byte \(offset) has unknown ggml type \(rawType); the file uses a "
                + "quantization this version does not support (or is corrupt): use a Q4_0/Q4_1/Q8_0/K-quant file."
        case .rowNotMultipleOfBlock(let tensor, let offset, let type, let rowLength, let blockSize):
            return "tensor '\(tensor)' at byte \(offset) of type \(type) has rows of \(rowLength) elements, not a "
                + "multiple of its block size \(blockSize); \(Self.corrupt)."
        case .misalignedTensor(let tensor, let offset, let dataOffset, let alignment):
            return "tensor '\(tensor)' at byte \(offset) has data offset \(dataOffset), not a multiple of the "
                + "alignment \(alignment); the file is malformed: re-convert or download it again."
        case .tensorOutOfBounds(let tensor, let offset, let start, let byteCount, let fileSize):
            return "tensor '\(tensor)' (described at byte \(offset)) needs \(byteCount) bytes from byte \(start), "
                + "past the end of the \(fileSize)-byte file; \(Self.downloadAgain)."
        case .missingKey(let key):
            return "metadata key '\(key)' is missing: the model file lacks required metadata; re-convert it with a "
                + "current llama.cpp or use another GGUF."
        case .typeMismatch(let key, let expected, let found):
            return "metadata key '\(key)' is \(found), expected \(expected): the model file does not follow the "
                + "GGUF conventions; re-convert it with a current llama.cpp."
        case .valueOutOfRange(let key, let value, let expected):
            return "metadata key '\(key)' holds \(value), which is out of range for \(expected); "
                + "the model file is malformed: re-convert it."
        case .invalidTensor(let name, let reason):
            return "cannot add tensor '\(name)': \(reason)."
        }
    }

    public var errorDescription: String? { description }
}
