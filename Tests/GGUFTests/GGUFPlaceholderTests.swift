// Placeholder so the GGUFTests target builds until its first real test lands.
import XCTest

final class GGUFPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
