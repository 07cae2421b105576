// Short human number formats for narrow panes: token counts (1.2k), dollars, seconds and milliseconds.
import Foundation

/// Compact, deterministic number formatting (POSIX decimal point regardless of locale).
public enum Format {
    /// 999 → "999", 1234 → "1.2k", 12345 → "12k", 1_234_567 → "1.2M".
    public static func tokens(_ n: Int) -> String {
        let a = abs(n)
        let sign = n < 0 ? "-" : ""
        if a < 1000 { return "\(n)" }
        if a < 10_000 { return sign + fixed(Double(a) / 1000, 1) + "k" }
        if a < 1_000_000 { return sign + "\(a / 1000)k" }
        if a < 10_000_000 { return sign + fixed(Double(a) / 1_000_000, 1) + "M" }
        return sign + "\(a / 1_000_000)M"
    }

    /// Dollars with enough digits to show small local costs: "$0.0012", "$0.042", "$1.25", "$12.50"; amounts
    /// below a hundredth of a cent (one local call of a small model) in short exponent form, "$8.3e-6", so they
    /// neither read as zero nor overflow a narrow column.
    public static func dollars(_ d: Double) -> String {
        guard d.isFinite else { return "$–" }
        let a = abs(d)
        if a > 0 && a < 0.0001 {
            var exponent = Int((log10(a)).rounded(.down))
            var mantissa = a / pow(10, Double(exponent))
            if (mantissa * 10).rounded() >= 100 {  // 9.96e-6 rounds up to 1.0e-5
                exponent += 1
                mantissa /= 10
            }
            return (d < 0 ? "-$" : "$") + fixed(mantissa, 1) + "e" + String(exponent)
        }
        let digits = a == 0 ? 2 : a < 0.01 ? 4 : a < 0.1 ? 3 : 2
        return (d < 0 ? "-$" : "$") + fixed(a, digits)
    }

    /// Seconds: "0.4s", "12s", "3m05s".
    public static func seconds(_ s: Double) -> String {
        guard s.isFinite, s >= 0, s < 1e9 else { return "–" }
        if s < 10 { return fixed(s, 1) + "s" }
        if s < 60 { return "\(Int(s.rounded()))s" }
        let total = Int(s.rounded())
        let secs = total % 60
        return "\(total / 60)m" + (secs < 10 ? "0" : "") + "\(secs)s"
    }

    /// Milliseconds from seconds: "85ms", "1.2s" above a second.
    public static func milliseconds(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "–" }
        if s >= 1 { return fixed(s, 1) + "s" }
        let ms = s * 1000
        return ms < 10 ? fixed(ms, 1) + "ms" : "\(Int(ms.rounded()))ms"
    }

    /// A percentage from a fraction: 0.803 → "80%".
    public static func percent(_ f: Double) -> String {
        guard f.isFinite, abs(f) < 1e9 else { return "–" }
        return "\(Int((f * 100).rounded()))%"
    }

    /// `value` with `digits` decimals, always with a dot.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(max(0, digits))f", locale: Locale(identifier: "en_US_POSIX"), value)
    }
}
