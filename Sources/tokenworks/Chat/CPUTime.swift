// CPU time of the calling thread and of the whole process, so the chat can say how much of the machine the
// interface itself takes while the model streams (TOKENWORKS_CPU_REPORT).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// User plus system CPU seconds.
enum CPUTime {
    /// This thread's CPU time (POSIX CLOCK_THREAD_CPUTIME_ID, on Linux and macOS alike).
    static func currentThread() -> Double {
        var ts = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 else { return 0 }
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The whole process's CPU time, every thread included.
    static func process() -> Double {
        var ts = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0 else { return 0 }
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
