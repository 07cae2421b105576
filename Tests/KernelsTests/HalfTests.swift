// f16 and bf16 conversions round to nearest even exactly like F16C and ggml.
import Kernels
import XCTest

final class HalfTests: XCTestCase {
    func testF16KnownValues() {
        XCTAssertEqual(Half.f32ToF16(1), 0x3c00)
        XCTAssertEqual(Half.f32ToF16(-2), 0xc000)
        XCTAssertEqual(Half.f32ToF16(65504), 0x7bff)
        XCTAssertEqual(Half.f32ToF16(0.000_000_059_604_645), 0x0001)  // 2^-24, smallest subnormal
        XCTAssertEqual(Half.f32ToF16(-0.0), 0x8000)
        XCTAssertEqual(Half.f16ToF32(0x3555), 0.333_251_95)
    }

    func testF16RoundsHalfwayCasesToEven() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
        XCTAssertEqual(Half.f32ToF16(1 + 0.000_488_281_25), 0x3c00)
        // 1 + 3·2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
        XCTAssertEqual(Half.f32ToF16(1 + 3 * 0.000_488_281_25), 0x3c02)
    }

    func testF16OverflowsToInfinityFrom65520() {
        XCTAssertEqual(Half.f32ToF16(65519), 0x7bff)
        XCTAssertEqual(Half.f32ToF16(65520), 0x7c00)
        XCTAssertEqual(Half.f32ToF16(-.infinity), 0xfc00)
        XCTAssertEqual(Half.f32ToF16(.nan) & 0x7e00, 0x7e00)
    }

    func testEveryFiniteF16SurvivesARoundTrip() {
        for h in UInt16.min...UInt16.max where h & 0x7c00 != 0x7c00 {
            XCTAssertEqual(Half.f32ToF16(Half.f16ToF32(h)), h, "0x\(String(h, radix: 16))")
        }
    }

    func testBF16RoundsToNearestEvenAndQuietsNaN() {
        XCTAssertEqual(Half.f32ToBF16(1), 0x3f80)
        XCTAssertEqual(Half.f32ToBF16(Float(bitPattern: 0x3f80_8000)), 0x3f80)  // tie, even stays
        XCTAssertEqual(Half.f32ToBF16(Float(bitPattern: 0x3f81_8000)), 0x3f82)  // tie, odd rounds up
        XCTAssertEqual(Half.f32ToBF16(Float(bitPattern: 0x3f80_8001)), 0x3f81)
        XCTAssertEqual(Half.f32ToBF16(Float(bitPattern: 0x7f80_0001)), 0x7fc0)
        XCTAssertEqual(Half.bf16ToF32(0xc040), -3)
    }
}
