// Placeholder so the TUITests target builds until its first real test lands.
import XCTest

final class TUIPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
