// A GGUF metadata array: homogeneous, so it is stored as one typed Swift array rather than boxed per element.

/// A GGUF array value. Each case holds a plain Swift array of its element type, which keeps a 49k-entry token
/// list one allocation of `String`s (no per-element enum boxing) and lets readers take `[Float]` etc. directly.
/// Arrays of arrays hold each inner array with its own element type, as the format allows.
public enum GGUFArray: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case float32([Float])
    case bool([Bool])
    case string([String])
    case array([GGUFArray])
    case uint64([UInt64])
    case int64([Int64])
    case float64([Double])

    /// Number of elements.
    public var count: Int {
        switch self {
        case .uint8(let a): a.count
        case .int8(let a): a.count
        case .uint16(let a): a.count
        case .int16(let a): a.count
        case .uint32(let a): a.count
        case .int32(let a): a.count
        case .float32(let a): a.count
        case .bool(let a): a.count
        case .string(let a): a.count
        case .array(let a): a.count
        case .uint64(let a): a.count
        case .int64(let a): a.count
        case .float64(let a): a.count
        }
    }

    /// The on-disk type of the elements.
    public var elementType: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .array: .array
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    /// "ARRAY[STRING]", "ARRAY[ARRAY]": the type as error messages and `models inspect` show it.
    public var typeName: String { "ARRAY[\(elementType.name)]" }

    /// The elements as `Int`s when every element is an integer that fits; nil otherwise (also for non-integer
    /// arrays).
    public var intValues: [Int]? {
        switch self {
        case .uint8(let a): a.map { Int($0) }
        case .int8(let a): a.map { Int($0) }
        case .uint16(let a): a.map { Int($0) }
        case .int16(let a): a.map { Int($0) }
        case .uint32(let a): a.map { Int($0) }
        case .int32(let a): a.map { Int($0) }
        case .uint64(let a): a.allSatisfy { $0 <= UInt64(Int.max) } ? a.map { Int($0) } : nil
        case .int64(let a): a.map { Int($0) }
        case .float32, .float64, .bool, .string, .array: nil
        }
    }

    /// The elements as `Float`s for any numeric array (integers convert, FLOAT64 rounds); nil otherwise.
    public var floatValues: [Float]? {
        switch self {
        case .float32(let a): a
        case .float64(let a): a.map { Float($0) }
        case .uint8(let a): a.map { Float($0) }
        case .int8(let a): a.map { Float($0) }
        case .uint16(let a): a.map { Float($0) }
        case .int16(let a): a.map { Float($0) }
        case .uint32(let a): a.map { Float($0) }
        case .int32(let a): a.map { Float($0) }
        case .uint64(let a): a.map { Float($0) }
        case .int64(let a): a.map { Float($0) }
        case .bool, .string, .array: nil
        }
    }

    /// The elements when this is an array of strings.
    public var stringValues: [String]? {
        if case .string(let a) = self { return a }
        return nil
    }
}
