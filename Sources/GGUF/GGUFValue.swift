// A GGUF metadata value: one of the thirteen on-disk types, with conversions callers actually need.

/// A metadata value exactly as typed in the file, so a writer can reproduce it and a reader can tell a UINT32
/// from an INT64. The conversion properties (`intValue`, `floatValue`…) accept any representation that fits,
/// because converters are not consistent about which integer width they use for a given key.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// The on-disk type code.
    public var valueType: GGUFValueType {
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

    /// "UINT32", "STRING", "ARRAY[INT32]": the type as error messages and `models inspect` show it.
    public var typeName: String {
        if case .array(let array) = self { return array.typeName }
        return valueType.name
    }

    /// The value as `Int` for any integer type whose value fits; nil for other types and for UINT64 above
    /// `Int.max`.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): v <= UInt64(Int.max) ? Int(v) : nil
        case .int64(let v): Int(v)
        case .float32, .float64, .bool, .string, .array: nil
        }
    }

    /// The value as `Double` for any numeric type (integers convert exactly up to 2^53).
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        case .uint8(let v): Double(v)
        case .int8(let v): Double(v)
        case .uint16(let v): Double(v)
        case .int16(let v): Double(v)
        case .uint32(let v): Double(v)
        case .int32(let v): Double(v)
        case .uint64(let v): Double(v)
        case .int64(let v): Double(v)
        case .bool, .string, .array: nil
        }
    }

    /// The value as `Float` for any numeric type (FLOAT64 and large integers round).
    public var floatValue: Float? {
        if case .float32(let v) = self { return v }
        return doubleValue.map { Float($0) }
    }

    /// The value when it is a BOOL.
    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    /// The value when it is a STRING.
    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The value when it is an ARRAY.
    public var arrayValue: GGUFArray? {
        if case .array(let v) = self { return v }
        return nil
    }
}
