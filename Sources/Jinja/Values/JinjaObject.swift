// An insertion-ordered dictionary: Python's `dict` as chat templates see it (string keys from JSON, sometimes
// integer keys from dict literals in the template).

/// Python's `dict`, keeping insertion order so that iteration, `|tojson` and `|items` produce keys in the order
/// the JSON (or the template) gave them. Keys follow Python's hashing rules: `1`, `1.0` and `True` are one key;
/// strings compare by code point.
///
/// - Complexity: lookup and insertion O(1); removal O(n).
public struct JinjaObject: Sendable, Equatable {
    private var keyList: [JinjaValue] = []
    private var storage: [DictKey: JinjaValue] = [:]

    /// An empty dictionary.
    public init() {}

    /// A dictionary holding `pairs` in order; a repeated key keeps its first position and its last value,
    /// as a Python dict literal does.
    public init(pairs: [(String, JinjaValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value for a string key; assigning appends a new key at the end and keeps an existing key's position.
    public subscript(key: String) -> JinjaValue? {
        get { storage[.string(ScalarString(key))] }
        set { set(.string(key), DictKey.string(ScalarString(key)), newValue) }
    }

    /// The value for any hashable key (nil for a missing or unhashable key).
    subscript(key key: JinjaValue) -> JinjaValue? {
        get { pythonHashKey(key).flatMap { storage[$0] } }
        set {
            guard let hash = pythonHashKey(key) else { return }
            set(key, hash, newValue)
        }
    }

    private mutating func set(_ key: JinjaValue, _ hash: DictKey, _ value: JinjaValue?) {
        guard let value else {
            if storage.removeValue(forKey: hash) != nil {
                keyList.removeAll { pythonHashKey($0) == hash }
            }
            return
        }
        if storage.updateValue(value, forKey: hash) == nil { keyList.append(key) }
    }

    /// Number of keys.
    public var count: Int { keyList.count }

    /// True when there are no keys.
    public var isEmpty: Bool { keyList.isEmpty }

    /// The keys in insertion order, as text (Python's `str()` of a non-string key).
    public var keys: [String] { keyList.map(\.pythonString) }

    /// Key/value pairs in insertion order, keys as text.
    public var pairs: [(key: String, value: JinjaValue)] {
        keyList.map { ($0.pythonString, pythonHashKey($0).flatMap { storage[$0] } ?? .none) }
    }

    /// Values in insertion order.
    public var values: [JinjaValue] { entries.map(\.value) }

    /// Keys (with their Python types) and values in insertion order.
    var entries: [(key: JinjaValue, value: JinjaValue)] {
        keyList.map { ($0, pythonHashKey($0).flatMap { storage[$0] } ?? .none) }
    }

    /// The keys with their Python types, in insertion order.
    var keyValues: [JinjaValue] { keyList }

    /// Python's dict equality: same keys with equal values, order ignored.
    public static func == (lhs: JinjaObject, rhs: JinjaObject) -> Bool {
        lhs.storage == rhs.storage
    }
}

/// Which dictionary keys Python treats as the same: numbers by value (`1 == 1.0 == True`), strings by code points.
enum DictKey: Hashable, Sendable {
    case none
    case undefined
    case integer(Int)
    case float(UInt64)
    case string(ScalarString)
    case tuple([DictKey])
}

/// A string hashed and compared by its code points, as Python does (Swift's String uses canonical equivalence).
struct ScalarString: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ScalarString, rhs: ScalarString) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for b in text.utf8 { hasher.combine(b) }
    }
}

/// The dictionary key for a hashable value; nil for unhashable ones (lists, dicts).
func pythonHashKey(_ v: JinjaValue) -> DictKey? {
    switch v {
    case .none: return DictKey.none
    case .undefined: return .undefined
    case .bool(let b): return .integer(b ? 1 : 0)
    case .int(let i): return .integer(i)
    case .float(let f):
        if f == f.rounded(), abs(f) < 9.2e18 { return .integer(Int(f)) }
        return .float(f.bitPattern)
    case .string(let s), .markup(let s): return .string(ScalarString(s))
    case .tuple(let items):
        var keys: [DictKey] = []
        for item in items {
            guard let k = pythonHashKey(item) else { return nil }
            keys.append(k)
        }
        return .tuple(keys)
    case .array, .object, .opaque: return nil
    }
}
