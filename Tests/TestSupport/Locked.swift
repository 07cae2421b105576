// A value behind a lock, for test recorders shared with @Sendable closures and reader threads.
import Foundation

/// Why a class with a lock and not an actor: test callbacks are synchronous closures that must record at once.
public final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    public init(_ value: T) { stored = value }
    public var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    public func mutate(_ body: (inout T) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
