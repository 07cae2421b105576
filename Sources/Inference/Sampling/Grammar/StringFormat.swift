// The string `format`s a grammar can enforce, each as a fixed regex run through the same `pattern` machinery:
// date, time and date-time in RFC 3339's strict profile, and uuid.

/// Fixed patterns for JSON Schema string formats.
///
/// Dates are exact, not just well-shaped: days per month, February 29 only in leap years (Gregorian rule),
/// years 0001–9999 — what Python's `date.fromisoformat` and the `rfc3339-validator` behind `jsonschema` accept.
/// Times need a zone (`Z` or `±hh:mm`) as RFC 3339 does; the grammar writes `T` and `Z` in upper case and at
/// most nine fraction digits, a subset of what validators accept, which is the safe direction.
enum StringFormat {
    /// Formats with a pattern, by name.
    static let names = ["date", "time", "date-time", "uuid"]

    static let year = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
    /// Years divisible by 4 and not by 100, or by 400 (never 0000).
    static let leapYear = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
    static let monthDay = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        + "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    static let date = "(?:\(year)-\(monthDay)|\(leapYear)-02-29)"
    static let time = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?"
        + "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

    /// The anchored regex for a format, or nil for formats without one.
    static func pattern(for format: String) -> String? {
        switch format {
        case "date": return "^\(date)$"
        case "time": return "^\(time)$"
        case "date-time": return "^\(date)T\(time)$"
        case "uuid": return "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        default: return nil
        }
    }
}
