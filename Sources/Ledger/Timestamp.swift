// Millisecond timestamps: the ledger's unit of time in SQLite, and their ISO 8601 form in exports.
// Written by hand (civil-from-days) so that formatting is exact, locale-free and identical on Linux and macOS.
import Foundation

/// Conversions between `Date`, whole milliseconds since 1970 and "2025-07-01T12:34:56.789Z".
enum Timestamp {
    /// Whole milliseconds since 1970-01-01T00:00:00Z, rounded to nearest; clamped so it always fits.
    static func milliseconds(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite else { return 0 }
        return Int64(max(-9.0e15, min(9.0e15, ms)))
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// ISO 8601 in UTC with milliseconds: "2025-07-01T12:34:56.789Z".
    static func iso8601(milliseconds: Int64) -> String {
        let (days, msOfDay) = floorDivide(milliseconds, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let hours = msOfDay / 3_600_000
        let minutes = msOfDay / 60_000 % 60
        let seconds = msOfDay / 1000 % 60
        let millis = msOfDay % 1000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hours, 2) + ":" + pad(minutes, 2)
            + ":" + pad(seconds, 2) + "." + pad(millis, 3) + "Z"
    }

    /// Parses exactly the form `iso8601` writes (also accepting no fraction); nil for anything else.
    static func milliseconds(iso8601 text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        func byte(_ index: Int, is char: Character) -> Bool {
            index < bytes.count && bytes[index] == char.asciiValue
        }
        guard bytes.count == 20 || bytes.count == 24, byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T"),
              byte(13, is: ":"), byte(16, is: ":"), byte(bytes.count - 1, is: "Z"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hours = number(11..<13), let minutes = number(14..<16), let seconds = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hours < 24, minutes < 60, seconds < 61
        else { return nil }
        var millis: Int64 = 0
        if bytes.count == 24 {
            guard byte(19, is: "."), let fraction = number(20..<23) else { return nil }
            millis = fraction
        }
        let days = self.days(fromCivil: year, month, day)
        return ((days * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000 + millis
    }

    /// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The inverse of `civil(fromDays:)`.
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
