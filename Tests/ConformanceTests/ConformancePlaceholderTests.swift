// Placeholder so the ConformanceTests target builds until its first real test lands.
import XCTest

final class ConformancePlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
