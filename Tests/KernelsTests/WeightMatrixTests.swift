// A weight matrix refuses shapes the kernels cannot run, with messages that say what to do.
import Kernels
import XCTest

final class WeightMatrixTests: XCTestCase {
    private let storage = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 64)
    deinit { storage.deallocate() }

    func testRowBytesFollowTheFormat() throws {
        let w = try WeightMatrix(base: storage, format: .q4_1, rows: 3, columns: 576)
        XCTAssertEqual(w.rowBytes, 18 * 20)
        XCTAssertEqual(try WeightMatrix(base: storage, format: .f16, rows: 1, columns: 7).rowBytes, 14)
    }

    func testColumnsThatAreNotWholeBlocksAreRejectedWithAMessage() {
        XCTAssertThrowsError(try WeightMatrix(base: storage, format: .q4_0, rows: 2, columns: 40)) { error in
            XCTAssertEqual(error as? KernelsError, .misalignedColumns(format: .q4_0, columns: 40))
            XCTAssertEqual("\(error)", "a q4_0 row has 40 columns, which is not a multiple of its block size 32: "
                + "the tensor shape is corrupt or the tensor is stored transposed")
        }
    }

    func testEmptyShapesAreRejected() {
        XCTAssertThrowsError(try WeightMatrix(base: storage, format: .f32, rows: 0, columns: 4)) { error in
            XCTAssertEqual((error as? KernelsError)?.errorDescription,
                           "matrix shape 0×4 is invalid: both dimensions must be positive")
        }
    }
}
