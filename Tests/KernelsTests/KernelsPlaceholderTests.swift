// Placeholder so the KernelsTests target builds until its first real test lands.
import XCTest

final class KernelsPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
