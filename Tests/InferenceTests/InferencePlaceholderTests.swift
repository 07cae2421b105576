// Placeholder so the InferenceTests target builds until its first real test lands.
import XCTest

final class InferencePlaceholderTests: XCTestCase {
    func testTargetBuilds() { XCTAssertEqual(1 + 1, 2) }
}
