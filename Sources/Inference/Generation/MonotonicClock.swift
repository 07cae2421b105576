// One clock for every timing in the runtime, so TTFT, ITL and compute shares are comparable.
import Foundation

/// Seconds on a monotonic clock (not wall time; immune to clock changes).
public enum MonotonicClock {
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000
    }
}
