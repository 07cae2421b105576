// Placeholder so the EndToEndTests target builds until its first real test lands.
import XCTest

final class EndToEndPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
