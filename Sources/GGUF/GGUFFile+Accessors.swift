// Typed metadata lookups for model loaders: each throws a GGUFError naming the key and the expected/found type.

extension GGUFFile {
    /// The value of `key`, or `.missingKey`.
    private func required(_ key: String) throws(GGUFError) -> GGUFValue {
        guard let value = metadata[key] else { throw .missingKey(key) }
        return value
    }

    // MARK: Scalars

    /// A STRING value.
    public func string(_ key: String) throws(GGUFError) -> String {
        try Self.string(try required(key), key)
    }

    /// A STRING value, or nil when the key is absent (a present key of another type still throws).
    public func optionalString(_ key: String) throws(GGUFError) -> String? {
        guard let value = metadata[key] else { return nil }
        return try Self.string(value, key)
    }

    /// Any integer type whose value fits `Int` (converters disagree on widths, e.g. UINT32 vs INT32 ids).
    public func int(_ key: String) throws(GGUFError) -> Int {
        try Self.int(try required(key), key)
    }

    /// Like `int(_:)`, or nil when the key is absent.
    public func optionalInt(_ key: String) throws(GGUFError) -> Int? {
        guard let value = metadata[key] else { return nil }
        return try Self.int(value, key)
    }

    /// Any numeric value as `Float` (integers convert; FLOAT64 rounds).
    public func float(_ key: String) throws(GGUFError) -> Float {
        try Self.float(try required(key), key)
    }

    /// Like `float(_:)`, or nil when the key is absent.
    public func optionalFloat(_ key: String) throws(GGUFError) -> Float? {
        guard let value = metadata[key] else { return nil }
        return try Self.float(value, key)
    }

    /// A BOOL value.
    public func bool(_ key: String) throws(GGUFError) -> Bool {
        try Self.bool(try required(key), key)
    }

    /// A BOOL value, or nil when the key is absent.
    public func optionalBool(_ key: String) throws(GGUFError) -> Bool? {
        guard let value = metadata[key] else { return nil }
        return try Self.bool(value, key)
    }

    // MARK: Arrays

    /// An ARRAY of STRING.
    public func stringArray(_ key: String) throws(GGUFError) -> [String] {
        try Self.stringArray(try required(key), key)
    }

    /// An ARRAY of STRING, or nil when the key is absent.
    public func optionalStringArray(_ key: String) throws(GGUFError) -> [String]? {
        guard let value = metadata[key] else { return nil }
        return try Self.stringArray(value, key)
    }

    /// An ARRAY of any numeric type, as `Float`s.
    public func floatArray(_ key: String) throws(GGUFError) -> [Float] {
        try Self.floatArray(try required(key), key)
    }

    /// Like `floatArray(_:)`, or nil when the key is absent.
    public func optionalFloatArray(_ key: String) throws(GGUFError) -> [Float]? {
        guard let value = metadata[key] else { return nil }
        return try Self.floatArray(value, key)
    }

    /// An ARRAY of any integer type whose every element fits `Int`.
    public func intArray(_ key: String) throws(GGUFError) -> [Int] {
        try Self.intArray(try required(key), key)
    }

    /// Like `intArray(_:)`, or nil when the key is absent.
    public func optionalIntArray(_ key: String) throws(GGUFError) -> [Int]? {
        guard let value = metadata[key] else { return nil }
        return try Self.intArray(value, key)
    }

    // MARK: Conversions

    private static func string(_ value: GGUFValue, _ key: String) throws(GGUFError) -> String {
        guard let string = value.stringValue else {
            throw .typeMismatch(key: key, expected: "STRING", found: value.typeName)
        }
        return string
    }

    private static func int(_ value: GGUFValue, _ key: String) throws(GGUFError) -> Int {
        if let int = value.intValue { return int }
        if case .uint64(let raw) = value {
            throw .valueOutOfRange(key: key, value: "\(raw)", expected: "a signed 64-bit integer")
        }
        throw .typeMismatch(key: key, expected: "an integer", found: value.typeName)
    }

    private static func float(_ value: GGUFValue, _ key: String) throws(GGUFError) -> Float {
        guard let float = value.floatValue else {
            throw .typeMismatch(key: key, expected: "a number", found: value.typeName)
        }
        return float
    }

    private static func bool(_ value: GGUFValue, _ key: String) throws(GGUFError) -> Bool {
        guard let bool = value.boolValue else { throw .typeMismatch(key: key, expected: "BOOL", found: value.typeName) }
        return bool
    }

    private static func stringArray(_ value: GGUFValue, _ key: String) throws(GGUFError) -> [String] {
        guard let strings = value.arrayValue?.stringValues else {
            throw .typeMismatch(key: key, expected: "ARRAY[STRING]", found: value.typeName)
        }
        return strings
    }

    private static func floatArray(_ value: GGUFValue, _ key: String) throws(GGUFError) -> [Float] {
        guard let floats = value.arrayValue?.floatValues else {
            throw .typeMismatch(key: key, expected: "a numeric ARRAY", found: value.typeName)
        }
        return floats
    }

    private static func intArray(_ value: GGUFValue, _ key: String) throws(GGUFError) -> [Int] {
        guard let array = value.arrayValue else {
            throw .typeMismatch(key: key, expected: "an integer ARRAY", found: value.typeName)
        }
        if let ints = array.intValues { return ints }
        if case .uint64 = array {
            throw .valueOutOfRange(key: key, value: "an element above 2^63-1",
                                   expected: "an array of signed 64-bit integers")
        }
        throw .typeMismatch(key: key, expected: "an integer ARRAY", found: value.typeName)
    }
}
