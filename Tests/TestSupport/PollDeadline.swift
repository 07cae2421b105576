// A deadline for polling loops in end-to-end tests that does not count time the test process spent stopped:
// on a shared machine a whole process tree can be paused (SIGSTOP) and continued, and a wait must not fail for it.
import Foundation

/// Time allowed to a polling loop, measured on the monotonic clock, with pauses of the test itself left out.
///
/// Each `hasPassed()` call is one poll. A gap between two polls far longer than a poll takes means the process
/// was not running (stopped, or starved); that gap is added to the deadline, so a wait is only lost to time the
/// test was actually watching.
public struct PollDeadline {
    /// A gap between polls longer than this counts as a pause rather than waiting.
    public static let pauseThreshold = 2.0
    private var end: Double
    private var lastPoll: Double
    /// Seconds added for pauses so far (for failure messages).
    public private(set) var pausedSeconds = 0.0

    public init(seconds: Double) {
        let now = ProcessInfo.processInfo.systemUptime
        end = now + seconds
        lastPoll = now
    }

    /// True once the allowed time (pauses excluded) is up.
    public mutating func hasPassed() -> Bool {
        let now = ProcessInfo.processInfo.systemUptime
        let gap = now - lastPoll
        if gap > Self.pauseThreshold {
            end += gap
            pausedSeconds += gap
        }
        lastPoll = now
        return now >= end
    }
}
