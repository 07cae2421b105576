// The pool covers every index exactly once, reports valid thread indices and can be reused many times.
import Kernels
import XCTest

final class ThreadPoolTests: XCTestCase {
    func testParallelForVisitsEveryIndexExactlyOnce() {
        let pool = ThreadPool(threads: 3)
        let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 1000)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        pool.parallelFor(1000, chunk: 7) { _, range in
            for i in range { counts[i] += 1 }  // chunks are disjoint, so no two threads touch one index
        }
        XCTAssertEqual(Array(counts), [Int32](repeating: 1, count: 1000))
    }

    func testThreadIndicesAreBelowThreadCount() {
        let pool = ThreadPool(threads: 2)
        XCTAssertEqual(pool.threadCount, 2)
        let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
        defer { seen.deallocate() }
        seen.initialize(repeating: -1)
        pool.parallelFor(64, chunk: 1) { thread, range in seen[range.lowerBound] = thread }
        XCTAssertTrue(seen.allSatisfy { $0 >= 0 && $0 < 2 })
    }

    func testManySmallJobsInARowAllComplete() {
        let pool = ThreadPool(threads: 2)
        let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)
        defer { sums.deallocate() }
        var total = 0
        for job in 0..<2000 {
            sums.initialize(repeating: 0)
            pool.parallelFor(2, chunk: 1) { thread, range in sums[range.lowerBound] = job + range.lowerBound }
            total += sums[0] + sums[1]
        }
        XCTAssertEqual(total, (0..<2000).reduce(0) { $0 + 2 * $1 + 1 })
    }

    func testZeroCountRunsNothing() {
        let pool = ThreadPool(threads: 2)
        var ran = false
        pool.parallelFor(0) { _, _ in ran = true }
        XCTAssertFalse(ran)
    }
}
