// Placeholder so the AgentsTests target builds until its first real test lands.
import XCTest

final class AgentsPlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
