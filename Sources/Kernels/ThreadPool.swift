// Persistent worker threads for the kernels: one job at a time, split into index chunks handed out dynamically.
// Workers spin briefly after each job and then park, so a decode step's hundreds of jobs cost no thread wake-ups.
import CKernels

/// A fixed set of threads running `parallelFor` jobs; the calling thread takes part as thread 0.
///
/// Why a class: it owns OS threads. Why `@unchecked Sendable`: the C pool synchronises its own state, and
/// `parallelFor` is documented as one call at a time (the engine that owns the pool serialises its calls).
public final class ThreadPool: @unchecked Sendable {
    private let pool: OpaquePointer?

    /// Starts `threads - 1` workers (at least one thread, the caller, always runs).
    public init(threads: Int) {
        pool = tw_pool_create(Int32(clamping: max(1, threads)))
    }

    deinit { tw_pool_destroy(pool) }

    /// Threads that run a job, the caller included.
    public var threadCount: Int { pool.map { Int(tw_pool_threads($0)) } ?? 1 }

    /// Runs `body(threadIndex, range)` over chunks covering `0..<count` and returns when all are done.
    /// `chunk` is the number of indices per call (default: a quarter of an even split, for load balance).
    /// No allocation happens per call. Not reentrant: `body` must not call `parallelFor` on the same pool.
    public func parallelFor(_ count: Int, chunk: Int? = nil, _ body: (Int, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let threads = threadCount
        let size = max(1, chunk ?? (count + threads * 4 - 1) / (threads * 4))
        guard let pool, threads > 1, count > size else {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            var job = Job(body: escapable)
            withUnsafeMutablePointer(to: &job) { pointer in
                tw_pool_run(pool, Int64(count), Int64(size), { context, thread, begin, end in
                    guard let context else { return }
                    context.assumingMemoryBound(to: Job.self).pointee.body(Int(thread), Int(begin)..<Int(end))
                }, pointer)
            }
        }
    }

    private struct Job {
        let body: (Int, Range<Int>) -> Void
    }
}
