// Placeholder replaced below.
import XCTest
