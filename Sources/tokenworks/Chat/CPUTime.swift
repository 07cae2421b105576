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
    /// This thread's CPU time (Linux: RUSAGE_THREAD; macOS: the thread's basic info).
    static func currentThread() -> Double {
        #if os(Linux)
        var usage = rusage()
        let thread: __rusage_who_t = 1  // RUSAGE_THREAD, which Glibc's module does not export
        guard getrusage(thread, &usage) == 0 else { return 0 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        #elseif canImport(Darwin)
        var info = thread_basic_info()
        var count = mach_msg_type_number_t(MemoryLayout<thread_basic_info>.size / MemoryLayout<integer_t>.size)
        let thread = mach_thread_self()
        defer { mach_port_deallocate(mach_task_self_, thread) }
        let result = withUnsafeMutablePointer(to: &info) {
            $0.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                thread_info(thread, thread_flavor_t(THREAD_BASIC_INFO), $0, &count)
            }
        }
        guard result == KERN_SUCCESS else { return 0 }
        return Double(info.user_time.seconds) + Double(info.user_time.microseconds) / 1e6
            + Double(info.system_time.seconds) + Double(info.system_time.microseconds) / 1e6
        #else
        return 0
        #endif
    }

    /// The whole process's CPU time, every thread included.
    static func process() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
}
