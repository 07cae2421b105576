// The optional API key of `tokenworks serve`, checked on every route in constant time.

/// A secret every request must present as `Authorization: Bearer KEY`.
public struct APIKey: Sendable, Equatable {
    private let bytes: [UInt8]

    /// nil for an empty key (an empty key would let anyone in while looking configured).
    public init?(_ key: String) {
        guard !key.isEmpty else { return nil }
        bytes = Array(key.utf8)
    }

    /// Whether an `Authorization` header carries this key.
    ///
    /// Why constant time: comparing byte by byte and stopping at the first difference leaks, through timing,
    /// how much of a guess was right. Every byte of the longer input is visited whatever matches.
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let prefix = "Bearer "
        let given: [UInt8] = header.hasPrefix(prefix) ? Array(header.utf8.dropFirst(prefix.utf8.count)) : []
        return Self.constantTimeEquals(given, bytes)
    }

    /// `a == b`, in time that depends only on the lengths.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt64(a.count ^ b.count)
        let length = max(a.count, b.count)
        for i in 0..<length {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= UInt64(x ^ y)
        }
        return difference == 0
    }
}
