// Interoperability with ggml's own Python package (gguf==0.19.0): files gguf.GGUFWriter writes read correctly
// here, and files our GGUFWriter writes read identically in gguf.GGUFReader.
import Foundation
import GGUF
import TestSupport
import XCTest

final class PythonInteropTests: XCTestCase {
    /// The oracle script. `write PATH ALIGNMENT` writes a file with gguf.GGUFWriter; `read PATH` prints JSON of
    /// what gguf.GGUFReader sees: every field as its type list and flattened canonical values (integers as
    /// decimal strings, floats as bit patterns, so nothing is lost in JSON), and the tensor table with data.
    private static let script = #"""
import json, struct, sys
try:
    import gguf
    import numpy as np
except ImportError as error:
    print(f"MISSING: {error}")
    sys.exit(3)

T = gguf.GGUFValueType

def write(path, alignment):
    w = gguf.GGUFWriter(path, arch="llama")
    if alignment != 32:
        w.add_custom_alignment(alignment)
    w.add_key_value("t.uint8", 200, T.UINT8)
    w.add_key_value("t.int8", -100, T.INT8)
    w.add_key_value("t.uint16", 60000, T.UINT16)
    w.add_key_value("t.int16", -30000, T.INT16)
    w.add_key_value("t.uint32", 4000000000, T.UINT32)
    w.add_key_value("t.int32", -2000000000, T.INT32)
    w.add_key_value("t.float32", 0.1, T.FLOAT32)
    w.add_key_value("t.bool", True, T.BOOL)
    w.add_key_value("t.string", "héllo ✓ 🦙", T.STRING)
    w.add_key_value("t.uint64", 18000000000000000000, T.UINT64)
    w.add_key_value("t.int64", -9000000000000000000, T.INT64)
    w.add_key_value("t.float64", -1.5e-300, T.FLOAT64)
    w.add_array("a.strings", ["<s>", "", "Ġthe", "日本"])
    w.add_array("a.ints", [1, -2, 3])
    w.add_key_value("a.floats", [0.5, -2.0, 1e-30], T.ARRAY, sub_type=T.FLOAT32)
    w.add_key_value("a.uint64", [0, 2**64 - 1], T.ARRAY, sub_type=T.UINT64)
    w.add_key_value("a.bools", [True, False], T.ARRAY, sub_type=T.BOOL)
    w.add_key_value("a.nested", [[1, 2], [3]], T.ARRAY)
    w.add_tensor("f32", (np.arange(24, dtype=np.float32) * 0.5).reshape(3, 8))
    w.add_tensor("f16", np.arange(8, dtype=np.float16).reshape(2, 4))
    w.add_tensor("q8_0", np.arange(136, dtype=np.uint8).reshape(2, 68), raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

FLOATS = {T.FLOAT32: ("<f", "<I"), T.FLOAT64: ("<d", "<Q")}

def canonical(value, vtype):
    if vtype in FLOATS:
        pack, unpack = FLOATS[vtype]
        return "bits:%x" % struct.unpack(unpack, struct.pack(pack, value))[0]
    if vtype == T.BOOL:
        return bool(value)
    if vtype == T.STRING:
        return value
    return str(int(value))

def read(path):
    r = gguf.GGUFReader(path)
    fields = []
    for key, field in r.fields.items():
        if key.startswith("GGUF."):
            continue
        contents = field.contents()
        values = contents if isinstance(contents, list) else [contents]
        fields.append({"key": key, "types": [t.name for t in field.types],
                       "values": [canonical(v, field.types[-1]) for v in values]})
    tensors = [{"name": t.name, "shape": [int(d) for d in t.shape], "type": t.tensor_type.name,
                "offset": int(t.data_offset), "bytes": int(t.n_bytes),
                "data": np.asarray(t.data).tobytes().hex()} for t in r.tensors]
    version = int(r.fields["GGUF.version"].contents())
    print(json.dumps({"version": version, "alignment": int(r.alignment), "fields": fields, "tensors": tensors}))

if sys.argv[1] == "write":
    write(sys.argv[2], int(sys.argv[3]))
else:
    read(sys.argv[2])
"""#

    /// What gguf.GGUFReader reports, decoded from the script's JSON.
    private struct PythonView: Decodable, Equatable {
        struct Field: Decodable, Equatable {
            let key: String
            let types: [String]
            let values: [Canonical]
        }
        struct Tensor: Decodable, Equatable {
            let name: String
            let shape: [Int]
            let type: String
            let offset: Int
            let bytes: Int
            let data: String
        }
        let version: UInt32
        let alignment: Int
        let fields: [Field]
        let tensors: [Tensor]
    }

    /// A flattened value as the script prints it: strings (also integers and float bit patterns) or booleans.
    private enum Canonical: Decodable, Equatable {
        case text(String)
        case flag(Bool)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) { self = .flag(flag) } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    private func runScript(_ arguments: [String]) throws -> String {
        let (status, output) = TestResources.python(Self.script, arguments: arguments)
        if status != 0 {
            let missing = status == 3 || output.contains("No such file") || output.contains("not found")
            if missing && TestResources.offline {
                throw XCTSkip("python3 with gguf is unavailable and TOKENWORKS_OFFLINE=1: \(output)")
            }
            if missing {
                throw OracleFailed(message: "python3 with the gguf package is required: pip install gguf==0.19.0 "
                    + "(\(output.trimmingCharacters(in: .whitespacesAndNewlines)))")
            }
            throw OracleFailed(message: "gguf script failed (exit \(status)): \(output)")
        }
        return output
    }

    /// Why the Python oracle could not run; the test fails with this text.
    private struct OracleFailed: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private func temporaryPath(_ name: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-interop-\(UUID().uuidString)-\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    // MARK: Python writes, we read

    private func checkPythonWrittenFile(alignment: Int) throws {
        let path = temporaryPath("python.gguf")
        _ = try runScript(["write", path, String(alignment)])
        let file = try GGUFFile(path: path)
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.alignment, alignment)
        var expected: [String: GGUFValue] = [
            "general.architecture": .string("llama"),
            "t.uint8": .uint8(200), "t.int8": .int8(-100), "t.uint16": .uint16(60_000), "t.int16": .int16(-30_000),
            "t.uint32": .uint32(4_000_000_000), "t.int32": .int32(-2_000_000_000), "t.float32": .float32(0.1),
            "t.bool": .bool(true), "t.string": .string("héllo ✓ 🦙"),
            "t.uint64": .uint64(18_000_000_000_000_000_000), "t.int64": .int64(-9_000_000_000_000_000_000),
            "t.float64": .float64(-1.5e-300),
            "a.strings": .array(.string(["<s>", "", "Ġthe", "日本"])),
            "a.ints": .array(.int32([1, -2, 3])),
            "a.floats": .array(.float32([0.5, -2, 1e-30])),
            "a.uint64": .array(.uint64([0, .max])),
            "a.bools": .array(.bool([true, false])),
            "a.nested": .array(.array([.int32([1, 2]), .int32([3])])),
        ]
        if alignment != 32 { expected["general.alignment"] = .uint32(UInt32(alignment)) }
        XCTAssertEqual(file.metadata, expected)
        XCTAssertEqual(file.metadataKeys.first, "general.architecture")

        XCTAssertEqual(file.tensors.map(\.name), ["f32", "f16", "q8_0"])
        let f32 = try XCTUnwrap(file.tensor(named: "f32"))
        XCTAssertEqual(f32.dimensions, [8, 3])
        XCTAssertEqual(f32.type, .f32)
        let floats = Array(file.unsafeTensorBytes(f32)).chunked(4).map { Float(bitPattern: UInt32(littleEndianBytes: $0)) }
        XCTAssertEqual(floats, (0..<24).map { Float($0) * 0.5 })
        let f16 = try XCTUnwrap(file.tensor(named: "f16"))
        XCTAssertEqual(f16.dimensions, [4, 2])
        XCTAssertEqual(f16.type, .f16)
        XCTAssertEqual(Array(file.unsafeTensorBytes(f16)).chunked(2).map { UInt16(littleEndianBytes: $0) },
                       [0x0000, 0x3C00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700])  // 0...7 as binary16
        let q8 = try XCTUnwrap(file.tensor(named: "q8_0"))
        XCTAssertEqual(q8.dimensions, [64, 2])
        XCTAssertEqual(q8.type, .q8_0)
        XCTAssertEqual(Array(file.unsafeTensorBytes(q8)), (0..<136).map { UInt8($0) })
        for tensor in file.tensors { XCTAssertEqual(tensor.offset % alignment, 0) }
    }

    func testFileWrittenByPythonGGUFWriterReadsEveryValueAndTensor() throws {
        try checkPythonWrittenFile(alignment: 32)
    }

    func testFileWrittenByPythonGGUFWriterWithAlignment64Reads() throws {
        try checkPythonWrittenFile(alignment: 64)
    }

    // MARK: We write, Python reads

    /// Our own view of a written file in the script's canonical form (types from the first element, as
    /// gguf-py reports them, and values flattened).
    private func canonical(_ value: GGUFValue) -> (types: [String], values: [Canonical]) {
        func bits<T: BinaryInteger>(_ pattern: T) -> Canonical { .text("bits:" + String(pattern, radix: 16)) }
        switch value {
        case .uint8(let v): return (["UINT8"], [.text("\(v)")])
        case .int8(let v): return (["INT8"], [.text("\(v)")])
        case .uint16(let v): return (["UINT16"], [.text("\(v)")])
        case .int16(let v): return (["INT16"], [.text("\(v)")])
        case .uint32(let v): return (["UINT32"], [.text("\(v)")])
        case .int32(let v): return (["INT32"], [.text("\(v)")])
        case .uint64(let v): return (["UINT64"], [.text("\(v)")])
        case .int64(let v): return (["INT64"], [.text("\(v)")])
        case .float32(let v): return (["FLOAT32"], [bits(v.bitPattern)])
        case .float64(let v): return (["FLOAT64"], [bits(v.bitPattern)])
        case .bool(let v): return (["BOOL"], [.flag(v)])
        case .string(let v): return (["STRING"], [.text(v)])
        case .array(let array):
            let elements: [GGUFValue]
            switch array {
            case .uint8(let a): elements = a.map { .uint8($0) }
            case .int8(let a): elements = a.map { .int8($0) }
            case .uint16(let a): elements = a.map { .uint16($0) }
            case .int16(let a): elements = a.map { .int16($0) }
            case .uint32(let a): elements = a.map { .uint32($0) }
            case .int32(let a): elements = a.map { .int32($0) }
            case .uint64(let a): elements = a.map { .uint64($0) }
            case .int64(let a): elements = a.map { .int64($0) }
            case .float32(let a): elements = a.map { .float32($0) }
            case .float64(let a): elements = a.map { .float64($0) }
            case .bool(let a): elements = a.map { .bool($0) }
            case .string(let a): elements = a.map { .string($0) }
            case .array(let a): elements = a.map { .array($0) }
            }
            let parts = elements.map(canonical)
            return (["ARRAY"] + (parts.first?.types ?? []), parts.flatMap(\.values))
        }
    }

    /// gguf-py flattens nested arrays and takes their type from the first element, so the file it checks keeps
    /// nested arrays homogeneous (mixed ones are covered by our own round-trip tests).
    private func checkPythonReadsOurFile(_ original: GGUFWriter) throws {
        var writer = original
        writer.set("array.nested", .array(.array([.int32([1, 2]), .int32([3])])))
        let path = temporaryPath("ours.gguf")
        try writer.write(to: path)
        let output = try runScript(["read", path])
        let view = try JSONDecoder().decode(PythonView.self, from: Data(output.utf8))
        let ours = try GGUFFile(path: path)

        XCTAssertEqual(view.version, writer.version)
        XCTAssertEqual(view.alignment, ours.alignment)
        let expectedFields = writer.metadataKeys.compactMap { key in
            writer.metadata[key].map { value in
                let form = canonical(value)
                return PythonView.Field(key: key, types: form.types, values: form.values)
            }
        }
        XCTAssertEqual(view.fields.map(\.key), expectedFields.map(\.key))
        for (theirs, mine) in zip(view.fields, expectedFields) { XCTAssertEqual(theirs, mine, mine.key) }

        let expectedTensors = ours.tensors.map { tensor in
            PythonView.Tensor(name: tensor.name, shape: tensor.dimensions, type: tensor.type.name,
                              offset: ours.dataOffset + tensor.offset, bytes: tensor.byteCount,
                              data: Array(ours.unsafeTensorBytes(tensor)).map { String(format: "%02x", $0) }.joined())
        }
        XCTAssertEqual(view.tensors, expectedTensors)
        XCTAssertEqual(view.tensors.count, SampleFiles.tensors().count)
    }

    func testFileWrittenByOurWriterReadsIdenticallyInPythonGGUFReader() throws {
        try checkPythonReadsOurFile(try SampleFiles.fullWriter(alignment: 32, version: 3))
    }

    func testVersion2FileWithAlignment64WrittenByOurWriterReadsInPythonGGUFReader() throws {
        try checkPythonReadsOurFile(try SampleFiles.fullWriter(alignment: 64, version: 2))
    }
}

private extension Array where Element == UInt8 {
    func chunked(_ size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

private extension FixedWidthInteger {
    init(littleEndianBytes bytes: ArraySlice<UInt8>) {
        self = bytes.reversed().reduce(0) { $0 << 8 | Self($1) }
    }
}
