// Just enough GGUF reading for the kernel tests to find tensors of the real default model (the Kernels target
// does not depend on GGUF, and these tests must not either): tensor names, shapes, types and data offsets.
import Foundation

/// Tensors of a GGUF file mapped read-only.
struct RealModelTensors {
    struct Tensor {
        let type: UInt32
        let dims: [Int]
        let offset: Int
    }

    let data: Data
    let tensors: [String: Tensor]
    let dataStart: Int

    init(path: String) throws {
        data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        (tensors, dataStart) = RealModelTensors.index(data)
    }

    /// The tensor index and the start of the tensor data.
    private static func index(_ data: Data) -> ([String: Tensor], Int) {
        var cursor = 0
        func read<T: FixedWidthInteger>(_: T.Type) -> T {
            let value = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: cursor, as: T.self) }
            cursor += MemoryLayout<T>.size
            return T(littleEndian: value)
        }
        func string() -> String {
            let count = Int(read(UInt64.self))
            defer { cursor += count }
            return String(decoding: data[cursor..<(cursor + count)], as: UTF8.self)
        }
        func skip(_ type: UInt32) {
            switch type {
            case 0, 1, 7: cursor += 1
            case 2, 3: cursor += 2
            case 4, 5, 6: cursor += 4
            case 8: _ = string()
            case 9:
                let element = read(UInt32.self), count = read(UInt64.self)
                for _ in 0..<count { skip(element) }
            default: cursor += 8
            }
        }
        _ = read(UInt32.self)  // magic
        _ = read(UInt32.self)  // version
        let tensorCount = Int(read(UInt64.self)), kvCount = Int(read(UInt64.self))
        var alignment = 32
        for _ in 0..<kvCount {
            let key = string(), type = read(UInt32.self)
            if key == "general.alignment", type == 4 { alignment = Int(read(UInt32.self)) } else { skip(type) }
        }
        var tensors: [String: Tensor] = [:]
        for _ in 0..<tensorCount {
            let name = string()
            let dims = (0..<Int(read(UInt32.self))).map { _ in Int(read(UInt64.self)) }
            let type = read(UInt32.self)
            tensors[name] = Tensor(type: type, dims: dims, offset: Int(read(UInt64.self)))
        }
        return (tensors, (cursor + alignment - 1) / alignment * alignment)
    }
}
