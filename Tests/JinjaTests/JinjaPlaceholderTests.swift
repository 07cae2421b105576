// Placeholder so the JinjaTests target builds until its first real test lands.
import XCTest

final class JinjaPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
