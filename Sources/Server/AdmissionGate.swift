// Admission of requests to the model: up to `maxRunning` generate at once (they batch in the engine's
// scheduler), up to `maxWaiting` more wait in arrival order, and anything beyond is refused at once.
import Foundation

/// A first-come, first-served gate with a bounded queue.
///
/// Why a gate in front of the engine, which queues by itself: the engine's queue is unbounded, and a client
/// that floods the server would make every later request wait behind it. Refusing early (429) tells clients
/// to back off; FIFO admission keeps the wait fair.
public actor AdmissionGate {
    public let maxRunning: Int
    public let maxWaiting: Int
    public private(set) var running = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(maxRunning: Int, maxWaiting: Int) {
        self.maxRunning = max(1, maxRunning)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// Requests waiting for a place.
    public var waiting: Int { waiters.count }

    /// Waits for a place; call `leave()` when done.
    /// - Throws: `ServerError.overloaded` when the queue is full; `CancellationError` when the caller gave up.
    public func enter() async throws {
        if running < maxRunning && waiters.isEmpty {
            running += 1
            return
        }
        guard waiters.count < maxWaiting else { throw ServerError.overloaded(running: running, waiting: waiters.count) }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Gives the place to the longest-waiting request, or frees it.
    public func leave() {
        if waiters.isEmpty {
            running = max(0, running - 1)
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
