// The block structs mirror ggml-common.h byte for byte, and the format tables agree with them.
import Kernels
import XCTest

final class BlockLayoutTests: XCTestCase {
    func testBlockQ4_0IsEighteenBytesWithScaleFirst() {
        XCTAssertEqual(MemoryLayout<BlockQ4_0>.size, 18)
        XCTAssertEqual(MemoryLayout<BlockQ4_0>.stride, 18)
        XCTAssertEqual(MemoryLayout<BlockQ4_0>.offset(of: \.qs), 2)
    }

    func testBlockQ4_1IsTwentyBytesWithScaleThenMin() {
        XCTAssertEqual(MemoryLayout<BlockQ4_1>.size, 20)
        XCTAssertEqual(MemoryLayout<BlockQ4_1>.stride, 20)
        XCTAssertEqual(MemoryLayout<BlockQ4_1>.offset(of: \.m), 2)
        XCTAssertEqual(MemoryLayout<BlockQ4_1>.offset(of: \.qs), 4)
    }

    func testBlockQ8_0IsThirtyFourBytes() {
        XCTAssertEqual(MemoryLayout<BlockQ8_0>.size, 34)
        XCTAssertEqual(MemoryLayout<BlockQ8_0>.stride, 34)
        XCTAssertEqual(MemoryLayout<BlockQ8_0>.offset(of: \.qs), 2)
    }

    func testBlockQ8_1IsThirtySixBytesWithSumAfterScale() {
        XCTAssertEqual(MemoryLayout<BlockQ8_1>.size, 36)
        XCTAssertEqual(MemoryLayout<BlockQ8_1>.offset(of: \.s), 2)
        XCTAssertEqual(MemoryLayout<BlockQ8_1>.offset(of: \.qs), 4)
    }

    func testFiveBitAndKQuantBlocksHaveGGMLSizesAndOffsets() {
        XCTAssertEqual(MemoryLayout<BlockQ5_0>.size, 22)
        XCTAssertEqual(MemoryLayout<BlockQ5_0>.offset(of: \.qs), 6)
        XCTAssertEqual(MemoryLayout<BlockQ5_1>.size, 24)
        XCTAssertEqual(MemoryLayout<BlockQ5_1>.offset(of: \.qs), 8)
        XCTAssertEqual(MemoryLayout<BlockQ2_K>.size, 84)
        XCTAssertEqual(MemoryLayout<BlockQ2_K>.offset(of: \.d), 80)
        XCTAssertEqual(MemoryLayout<BlockQ3_K>.size, 110)
        XCTAssertEqual(MemoryLayout<BlockQ3_K>.offset(of: \.scales), 96)
        XCTAssertEqual(MemoryLayout<BlockQ4_K>.size, 144)
        XCTAssertEqual(MemoryLayout<BlockQ4_K>.offset(of: \.qs), 16)
        XCTAssertEqual(MemoryLayout<BlockQ5_K>.size, 176)
        XCTAssertEqual(MemoryLayout<BlockQ5_K>.offset(of: \.qs), 48)
        XCTAssertEqual(MemoryLayout<BlockQ6_K>.size, 210)
        XCTAssertEqual(MemoryLayout<BlockQ6_K>.offset(of: \.d), 208)
        XCTAssertEqual(MemoryLayout<BlockQ8_K>.size, 292)
        XCTAssertEqual(MemoryLayout<BlockQ8_K>.offset(of: \.bsums), 260)
    }

    func testFormatTablesMatchBlockStructs() {
        XCTAssertEqual(WeightFormat.q4_0.bytesPerBlock, MemoryLayout<BlockQ4_0>.size)
        XCTAssertEqual(WeightFormat.q4_1.bytesPerBlock, MemoryLayout<BlockQ4_1>.size)
        XCTAssertEqual(WeightFormat.q8_0.bytesPerBlock, MemoryLayout<BlockQ8_0>.size)
        XCTAssertEqual(ActivationFormat.q8_1.bytesPerBlock, MemoryLayout<BlockQ8_1>.size)
        XCTAssertEqual(ActivationFormat.q8_K.bytesPerBlock, MemoryLayout<BlockQ8_K>.size)
        XCTAssertEqual(WeightFormat.q5_0.bytesPerBlock, MemoryLayout<BlockQ5_0>.size)
        XCTAssertEqual(WeightFormat.q5_1.bytesPerBlock, MemoryLayout<BlockQ5_1>.size)
        XCTAssertEqual(WeightFormat.q2_K.bytesPerBlock, MemoryLayout<BlockQ2_K>.size)
        XCTAssertEqual(WeightFormat.q3_K.bytesPerBlock, MemoryLayout<BlockQ3_K>.size)
        XCTAssertEqual(WeightFormat.q4_K.bytesPerBlock, MemoryLayout<BlockQ4_K>.size)
        XCTAssertEqual(WeightFormat.q5_K.bytesPerBlock, MemoryLayout<BlockQ5_K>.size)
        XCTAssertEqual(WeightFormat.q6_K.bytesPerBlock, MemoryLayout<BlockQ6_K>.size)
    }

    func testGGMLTypeIdsRoundTripAndMatchGGML() {
        let expected: [UInt32: WeightFormat] = [0: .f32, 1: .f16, 2: .q4_0, 3: .q4_1, 6: .q5_0, 7: .q5_1, 8: .q8_0,
                                                10: .q2_K, 11: .q3_K, 12: .q4_K, 13: .q5_K, 14: .q6_K, 30: .bf16]
        for (id, format) in expected {
            XCTAssertEqual(WeightFormat(ggmlType: id), format)
            XCTAssertEqual(format.ggmlType, id)
        }
        XCTAssertNil(WeightFormat(ggmlType: 4))  // removed Q4_2
        XCTAssertNil(WeightFormat(ggmlType: 9))  // Q8_1 is an activation format only
        XCTAssertEqual(WeightFormat.allCases.count, expected.count)
    }

    func testActivationPartnersFollowGGMLVecDotTypes() {
        XCTAssertEqual(WeightFormat.q4_0.activationFormat, .q8_0)
        XCTAssertEqual(WeightFormat.q8_0.activationFormat, .q8_0)
        XCTAssertEqual(WeightFormat.q4_1.activationFormat, .q8_1)
        XCTAssertEqual(WeightFormat.q5_1.activationFormat, .q8_1)
        XCTAssertEqual(WeightFormat.q4_K.activationFormat, .q8_K)
        XCTAssertEqual(WeightFormat.f16.activationFormat, .f16)
        XCTAssertEqual(WeightFormat.bf16.activationFormat, .bf16)
    }
}
