// A thread-safe mailbox through which the runtime (on its own threads) hands events to the UI loop, which
// drains it between frames; streaming tokens thus arrive in batches at frame rate.
import Foundation

/// Events posted from any thread, delivered to the program loop in order.
///
/// A class with a lock rather than an actor because the run loop is synchronous (it blocks on terminal input
/// with a timeout) and must drain without hopping executors; the lock makes the `@unchecked Sendable` sound.
public final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [AppEvent] = []

    public init() {}

    /// Queues one event.
    public func post(_ event: AppEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    /// Queues several events at once (a batch of streamed tokens).
    public func post(contentsOf batch: [AppEvent]) {
        lock.lock()
        events += batch
        lock.unlock()
    }

    /// Takes everything queued so far.
    public func drain() -> [AppEvent] {
        lock.lock()
        defer { lock.unlock() }
        let out = events
        events.removeAll(keepingCapacity: true)
        return out
    }
}
