// An amount of money in whole nanodollars, so that costs add up exactly in trees and totals.
// Floating-point dollars would make "node = own + descendants" depend on the order of addition.

/// A cost in US dollars, held as an integer number of nanodollars (10⁻⁹ $).
///
/// One generated token of the cheapest listed model costs tens of nanodollars, and an Int64 holds about
/// nine billion dollars, so the unit is both fine enough and large enough; sums are exact and associative.
public struct Cost: Hashable, Comparable, Sendable, AdditiveArithmetic, Codable, CustomStringConvertible {
    /// The amount in nanodollars.
    public var nanodollars: Int64

    public init(nanodollars: Int64) { self.nanodollars = nanodollars }

    /// The nearest whole number of nanodollars to `dollars` (non-finite values become zero).
    public init(dollars: Double) {
        let scaled = (dollars * 1e9).rounded()
        if !scaled.isFinite {
            nanodollars = 0
        } else if scaled >= 9.2e18 {
            nanodollars = .max
        } else if scaled <= -9.2e18 {
            nanodollars = .min
        } else {
            nanodollars = Int64(scaled)
        }
    }

    public static let zero = Cost(nanodollars: 0)

    /// The amount in dollars, for display and JSON; not for adding up.
    public var dollars: Double { Double(nanodollars) / 1e9 }

    /// The exact amount as a decimal string with nine decimals, e.g. "0.007000000" (used by the CSV export).
    public var exactDecimalString: String {
        let negative = nanodollars < 0
        let magnitude = nanodollars.magnitude
        let whole = magnitude / 1_000_000_000
        let fraction = String(magnitude % 1_000_000_000)
        return (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    /// Dollars with enough significant digits for a cost pane: "$0.0070", "$12.35", "$0.000014".
    public var description: String {
        let value = dollars
        if value == 0 { return "$0" }
        if abs(value) >= 1 { return "$" + formatFixed(value, decimals: 2) }
        // Keep two significant digits below one dollar.
        var decimals = 2
        var probe = abs(value)
        while probe < 0.1 && decimals < 9 {
            probe *= 10
            decimals += 1
        }
        return "$" + formatFixed(value, decimals: decimals)
    }

    public static func < (lhs: Cost, rhs: Cost) -> Bool { lhs.nanodollars < rhs.nanodollars }

    /// Exact sum; saturates instead of trapping because amounts can come from a damaged ledger file.
    public static func + (lhs: Cost, rhs: Cost) -> Cost {
        Cost(nanodollars: lhs.nanodollars.saturatingAdd(rhs.nanodollars))
    }

    public static func - (lhs: Cost, rhs: Cost) -> Cost {
        Cost(nanodollars: lhs.nanodollars.saturatingAdd(rhs.nanodollars.saturatingNegated))
    }

    /// Encoded as a JSON number of dollars, which is what readers of an export expect; decoding rounds back to
    /// the same nanodollar count for any amount below about nine million dollars.
    public init(from decoder: any Decoder) throws {
        self.init(dollars: try decoder.singleValueContainer().decode(Double.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dollars)
    }
}

/// `value` rounded to `decimals` places, written without exponent notation.
private func formatFixed(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return String(value) }
    let units = UInt64(scaled)
    let divisor = UInt64(scale)
    let fraction = String(units % divisor)
    let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    return (value < 0 ? "-" : "") + "\(units / divisor)." + padded
}
