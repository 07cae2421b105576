// C's strftime for the directives chat templates use in `strftime_now(...)` (dates in system prompts),
// in the C locale and the local time zone, as Python's datetime.now().strftime does on Linux.
import Foundation

/// Formats dates like glibc's strftime in the C locale.
enum Strftime {
    private static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static func format(_ format: String, date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let year = c.year ?? 1970
        let month = c.month ?? 1
        let day = c.day ?? 1
        let hour = c.hour ?? 0
        let minute = c.minute ?? 0
        let second = c.second ?? 0
        let weekday0 = (c.weekday ?? 1) - 1
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        var out = ""
        var chars = Array(format.unicodeScalars)[...]
        while let ch = chars.first {
            chars = chars.dropFirst()
            guard ch == "%", let next = chars.first else {
                out.unicodeScalars.append(ch)
                continue
            }
            chars = chars.dropFirst()
            var directive = next
            var pad = true
            if directive == "-", let d = chars.first {
                pad = false
                directive = d
                chars = chars.dropFirst()
            }
            func num(_ v: Int, _ width: Int) -> String {
                let s = String(v)
                return pad ? String(repeating: "0", count: max(0, width - s.count)) + s : s
            }
            switch directive {
            case "Y": out += String(year)
            case "y": out += num(year % 100, 2)
            case "m": out += num(month, 2)
            case "d": out += num(day, 2)
            case "e": out += pad ? (day < 10 ? " " : "") + String(day) : String(day)
            case "H": out += num(hour, 2)
            case "I": out += num(hour % 12 == 0 ? 12 : hour % 12, 2)
            case "M": out += num(minute, 2)
            case "S": out += num(second, 2)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "j": out += num(dayOfYear, 3)
            case "a": out += String(days[weekday0].prefix(3))
            case "A": out += days[weekday0]
            case "b", "h": out += String(months[month - 1].prefix(3))
            case "B": out += months[month - 1]
            case "w": out += String(weekday0)
            case "u": out += String(weekday0 == 0 ? 7 : weekday0)
            case "Z": out += timeZone.abbreviation(for: date) ?? ""
            case "z":
                let offset = timeZone.secondsFromGMT(for: date) / 60
                out += (offset < 0 ? "-" : "+") + num(abs(offset) / 60, 2) + num(abs(offset) % 60, 2)
            case "F": out += String(year) + "-" + num(month, 2) + "-" + num(day, 2)
            case "D": out += num(month, 2) + "/" + num(day, 2) + "/" + num(year % 100, 2)
            case "T": out += num(hour, 2) + ":" + num(minute, 2) + ":" + num(second, 2)
            case "%": out += "%"
            default:
                out += "%"
                if !pad { out += "-" }
                out.unicodeScalars.append(directive)
            }
        }
        return out
    }
}
