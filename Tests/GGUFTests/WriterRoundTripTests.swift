// Files written by GGUFWriter read back identically through GGUFFile: every value type, arrays, tensors,
// alignments, versions, and the atomic and streaming file writes.
import Foundation
import GGUF
import TestSupport
import XCTest

final class WriterRoundTripTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testEveryScalarValueTypeRoundTrips() throws {
        var writer = GGUFWriter()
        for (key, value) in SampleFiles.scalars { writer.set(key, value) }
        let file = try GGUFFile(bytes: writer.serialized())
        for (key, value) in SampleFiles.scalars {
            XCTAssertEqual(file.value(key), value, key)
        }
        XCTAssertEqual(file.metadataKeys, SampleFiles.scalars.map(\.0))
    }

    func testArraysOfEveryElementTypeIncludingStringsAndNestedRoundTrip() throws {
        var writer = GGUFWriter()
        for (key, value) in SampleFiles.arrays { writer.set(key, value) }
        let file = try GGUFFile(bytes: writer.serialized())
        for (key, value) in SampleFiles.arrays {
            XCTAssertEqual(file.value(key), value, key)
        }
        XCTAssertEqual(file.value("array.empty")?.arrayValue?.elementType, .string)
    }

    func testTensorsOfSeveralTypesRoundTripWithTheirBytes() throws {
        let file = try GGUFFile(bytes: try SampleFiles.fullWriter().serialized())
        let expected = SampleFiles.tensors()
        XCTAssertEqual(file.tensors.map(\.name), expected.map(\.name))
        for tensor in expected {
            let info = try XCTUnwrap(file.tensor(named: tensor.name))
            XCTAssertEqual(info.dimensions, tensor.dimensions)
            XCTAssertEqual(info.type, tensor.type)
            XCTAssertEqual(info.byteCount, tensor.bytes.count)
            XCTAssertEqual(info.offset % 32, 0)
            XCTAssertEqual(Array(file.unsafeTensorBytes(info)), tensor.bytes, tensor.name)
        }
    }

    func testAlignment64IsRecordedAndEveryOffsetHonoursIt() throws {
        let file = try GGUFFile(bytes: try SampleFiles.fullWriter(alignment: 64).serialized())
        XCTAssertEqual(file.alignment, 64)
        XCTAssertEqual(file.value("general.alignment"), .uint32(64))
        XCTAssertEqual(file.dataOffset % 64, 0)
        for tensor in file.tensors { XCTAssertEqual(tensor.offset % 64, 0, tensor.name) }
        let expected = SampleFiles.tensors()
        for tensor in expected {
            let info = try XCTUnwrap(file.tensor(named: tensor.name))
            XCTAssertEqual(Array(file.unsafeTensorBytes(info)), tensor.bytes, tensor.name)
        }
    }

    func testDefaultAlignmentWritesNoAlignmentKey() throws {
        let file = try GGUFFile(bytes: try SampleFiles.fullWriter().serialized())
        XCTAssertNil(file.value("general.alignment"))
        XCTAssertEqual(file.alignment, 32)
        XCTAssertEqual(file.dataOffset % 32, 0)
    }

    func testVersion2AndVersion3FilesRoundTripAlike() throws {
        for version: UInt32 in [2, 3] {
            let file = try GGUFFile(bytes: try SampleFiles.fullWriter(version: version).serialized())
            XCTAssertEqual(file.version, version)
            XCTAssertEqual(file.metadata.count, 1 + SampleFiles.scalars.count + SampleFiles.arrays.count)
            XCTAssertEqual(file.tensors.count, SampleFiles.tensors().count)
        }
    }

    func testSettingAnExistingKeyKeepsItsPlace() throws {
        var writer = GGUFWriter()
        writer.set("a", .uint8(1))
        writer.set("b", .uint8(2))
        writer.set("a", .string("again"))
        let file = try GGUFFile(bytes: writer.serialized())
        XCTAssertEqual(file.metadataKeys, ["a", "b"])
        XCTAssertEqual(file.value("a"), .string("again"))
    }

    func testWriteToPathProducesAMappableFileAndLeavesNoTemporaryFiles() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.gguf").path
        let writer = try SampleFiles.fullWriter()
        try writer.write(to: path)
        let file = try GGUFFile(path: path)
        XCTAssertEqual(file.path, path)
        XCTAssertEqual(file.fileSize, writer.serialized().count)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(writer.serialized()))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.gguf"])
    }

    func testStreamingWriteAsksForDeclaredTensorsInFileOrder() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("streamed.gguf").path
        let samples = SampleFiles.tensors()
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        try writer.addTensor(name: samples[0].name, dimensions: samples[0].dimensions, type: samples[0].type,
                             bytes: samples[0].bytes)
        for sample in samples.dropFirst() {
            try writer.addTensor(name: sample.name, dimensions: sample.dimensions, type: sample.type)
        }
        var asked: [String] = []
        try writer.write(to: path) { info in
            asked.append(info.name)
            return samples.first { $0.name == info.name }?.bytes ?? []
        }
        XCTAssertEqual(asked, samples.dropFirst().map(\.name))
        let file = try GGUFFile(path: path)
        for sample in samples {
            let info = try XCTUnwrap(file.tensor(named: sample.name))
            XCTAssertEqual(Array(file.unsafeTensorBytes(info)), sample.bytes, sample.name)
        }
    }

    func testFailedStreamingWriteLeavesTheDestinationUntouched() throws {
        struct Interrupted: Error {}
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.gguf").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        var writer = GGUFWriter()
        try writer.addTensor(name: "a", dimensions: [4], type: .f32)
        try writer.addTensor(name: "b", dimensions: [4], type: .f32)
        var calls = 0
        XCTAssertThrowsError(try writer.write(to: path) { _ in
            calls += 1
            if calls == 2 { throw Interrupted() }
            return [UInt8](repeating: 1, count: 16)
        }) { XCTAssertTrue($0 is Interrupted, "\($0)") }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.gguf"])
    }

    func testWriterRejectsTensorBytesOfTheWrongSize() {
        var writer = GGUFWriter()
        XCTAssertThrowsError(try writer.addTensor(name: "w", dimensions: [32, 2], type: .q8_0, bytes: [0, 1])) {
            XCTAssertEqual("\($0)", "cannot add tensor 'w': 2 bytes given, but Q8_0 [32, 2] takes 68.")
        }
    }

    func testWriterRejectsADuplicateTensorName() throws {
        var writer = GGUFWriter()
        try writer.addTensor(name: "w", dimensions: [4], type: .f32, bytes: [UInt8](repeating: 0, count: 16))
        XCTAssertThrowsError(try writer.addTensor(name: "w", dimensions: [4], type: .f32,
                                                  bytes: [UInt8](repeating: 0, count: 16))) {
            XCTAssertEqual($0 as? GGUFError, .invalidTensor(name: "w", reason: "a tensor with this name was already added"))
        }
    }

    func testWriterRejectsARowLengthThatIsNotWholeBlocks() {
        var writer = GGUFWriter()
        XCTAssertThrowsError(try writer.addTensor(name: "w", dimensions: [33], type: .q4_0)) {
            XCTAssertEqual("\($0)", "cannot add tensor 'w': its row length 33 is not a multiple of the Q4_0 block size 32.")
        }
    }
}

final class WriterCopyingTests: XCTestCase {
    func testCopyingMetadataKeepsOrderValuesAndAlignment() throws {
        let original = try GGUFFile(bytes: try SampleFiles.fullWriter(alignment: 64).serialized())
        var writer = GGUFWriter(copyingMetadataOf: original)
        writer.set("general.file_type", .uint32(3))
        let copy = try GGUFFile(bytes: writer.serialized())
        XCTAssertEqual(copy.metadataKeys, original.metadataKeys + ["general.file_type"])
        for key in original.metadataKeys { XCTAssertEqual(copy.value(key), original.value(key), key) }
        XCTAssertEqual(copy.alignment, 64)
        XCTAssertTrue(copy.tensors.isEmpty)
    }

    func testCopyOfTheDefaultModelMetadataReadsBack() throws {
        let model = try GGUFFile(path: try TestResources.requireDefaultModel())
        let copy = try GGUFFile(bytes: GGUFWriter(copyingMetadataOf: model).serialized())
        XCTAssertEqual(copy.metadataKeys, model.metadataKeys)
        XCTAssertEqual(copy.metadata, model.metadata)
    }
}
