// Time bounds that catch hangs (an input that makes a parser loop or blow up), not speed measurements.
import Foundation

/// The longest a guarded piece of work may take before a test calls it a hang.
///
/// Why: the mutation tests bound their slowest input to catch pathological inputs, but the same tests also run
/// under AddressSanitizer and ThreadSanitizer (`make sanitize`), whose instrumentation slows Swift code 10-50×.
/// The bounds stretch by `factor` when a sanitizer runtime is loaded, so they still catch hangs there.
public enum HangLimit {
    /// 60 under a sanitizer, 1 otherwise.
    public static let factor: Double = sanitizerLoaded ? 60 : 1

    public static func seconds(_ value: Double) -> Duration { .milliseconds(Int64(value * 1000 * factor)) }
    public static func milliseconds(_ value: Int64) -> Duration { .milliseconds(Int64(Double(value) * factor)) }

    /// Whether the AddressSanitizer or ThreadSanitizer runtime is part of this process.
    public static let sanitizerLoaded: Bool = {
        #if os(Linux)
        let handle = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        #else
        let handle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        return dlsym(handle, "__asan_init") != nil || dlsym(handle, "__tsan_init") != nil
    }()
}
