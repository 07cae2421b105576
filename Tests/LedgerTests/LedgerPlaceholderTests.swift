// Placeholder so the LedgerTests target builds until its first real test lands.
import XCTest

final class LedgerPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
