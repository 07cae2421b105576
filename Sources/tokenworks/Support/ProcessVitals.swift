// How long this process has been running and how much memory it holds, for `ask --timing`: the start-up
// budget (process start → first token) and the resident-memory budget are measured from inside the process.
import Foundation

/// Process age and resident memory, read from the OS (Linux: /proc; elsewhere: what Foundation offers).
enum ProcessVitals {
    /// Seconds since the OS started this process, or nil when the OS does not say.
    ///
    /// Why /proc: a clock read in `main` misses exec, dynamic loading and the Swift runtime's start-up, which
    /// are part of what a user waits for. Linux keeps the start in clock ticks since boot (10 ms resolution).
    static func secondsSinceStart() -> Double? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]),
              let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) }) else { return nil }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard hertz > 0 else { return nil }
        return max(0, uptime - ticks / hertz)
        #else
        return nil
        #endif
    }

    /// Resident memory now and at its peak, in bytes (Linux VmRSS and VmHWM), or nil elsewhere.
    static func residentBytes() -> (current: Int, peak: Int)? {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var current: Int?, peak: Int?
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kib = Int(parts[1]) else { continue }
            if parts[0] == "VmRSS:" { current = kib * 1024 }
            if parts[0] == "VmHWM:" { peak = kib * 1024 }
        }
        guard let current, let peak else { return nil }
        return (current, peak)
        #else
        return nil
        #endif
    }
}
