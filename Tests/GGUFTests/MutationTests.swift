// Corrupts valid GGUF bytes thousands of ways (fixed seed) and checks the reader always either parses them or
// throws GGUFError: never crashes, never hangs, never reports a tensor range outside the bytes it has.
import Foundation
import GGUF
import TestSupport
import XCTest

final class MutationTests: XCTestCase {
    /// Values that make length and count fields absurd.
    private static let bigValues: [UInt64] = [.max, 1 << 63, (1 << 63) - 1, 1 << 40, 1 << 32, (1 << 32) - 1,
                                               1 << 31, 65_536, 0]

    /// One corrupted copy of `original`.
    private func mutate(_ original: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = original
        switch random.next(below: 6) {
        case 0:  // flip a few bytes
            for _ in 0...random.next(below: 4) where !bytes.isEmpty {
                bytes[random.next(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            }
        case 1:  // flip one bit
            let index = random.next(below: bytes.count)
            bytes[index] ^= 1 << UInt8(random.next(below: 8))
        case 2:  // insert bytes
            let index = random.next(below: bytes.count + 1)
            bytes.insert(contentsOf: random.bytes(1 + random.next(below: 16)), at: index)
        case 3:  // delete a range
            let index = random.next(below: bytes.count)
            bytes.removeSubrange(index..<min(bytes.count, index + 1 + random.next(below: 16)))
        case 4:  // write a huge or tiny little-endian u64 over an 8-byte window
            let value = Self.bigValues[random.next(below: Self.bigValues.count)]
            let index = random.next(below: max(1, bytes.count - 8))
            for i in 0..<8 where index + i < bytes.count {
                bytes[index + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))
            }
        default:  // truncate
            bytes.removeSubrange(random.next(below: bytes.count)...)
        }
        return bytes
    }

    /// Parses `bytes`; on success checks every tensor's bytes lie inside the input. Returns whether it parsed.
    private func parse(_ bytes: [UInt8]) -> Bool {
        do {
            let file = try GGUFFile(bytes: bytes)
            for tensor in file.tensors {
                XCTAssertEqual(file.unsafeTensorBytes(tensor).count, tensor.byteCount)
                XCTAssertLessThanOrEqual(file.dataOffset + tensor.offset + tensor.byteCount, bytes.count)
            }
            XCTAssertEqual(file.metadataKeys.count, file.metadata.count)
            return true
        } catch {
            XCTAssertFalse(error.description.isEmpty)
            return false
        }
    }

    private var timeLimit: TimeInterval {
        #if DEBUG
        return 120
        #else
        return 10
        #endif
    }

    func testMutatedSmallFilesParseOrThrowGGUFError() throws {
        let originals = [try SampleFiles.small(), try SampleFiles.fullWriter(alignment: 64).serialized()]
        var random = SplitMix64(seed: 0x6767_7566)
        var parsed = 0, refused = 0
        let start = Date()
        for round in 0..<4000 {
            let mutated = mutate(originals[round % originals.count], &random)
            if parse(mutated) { parsed += 1 } else { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 2000)
        XCTAssertGreaterThan(parsed, 10, "some mutations (e.g. inside tensor data) must still parse")
        XCTAssertLessThan(Date().timeIntervalSince(start), timeLimit)
    }

    /// The first 64 KiB of the default model: real keys, then the start of its 49,152-token vocabulary.
    private func defaultModelHeader() throws -> [UInt8] {
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: try TestResources.requireDefaultModel()))
        defer { try? handle.close() }
        return [UInt8](try XCTUnwrap(try handle.read(upToCount: 64 * 1024)))
    }

    func testMutatedDefaultModelHeaderParsesOrThrowsGGUFError() throws {
        let header = try defaultModelHeader()
        var random = SplitMix64(seed: 0x5EED)
        var refused = 0
        let start = Date()
        for _ in 0..<1500 {
            if !parse(mutate(header, &random)) { refused += 1 }
        }
        XCTAssertEqual(refused, 1500, "a 64 KiB prefix of a 98 MB model can never be complete")
        XCTAssertLessThan(Date().timeIntervalSince(start), timeLimit)
    }

    /// The same prefix with the token count cut to 2,000 so the reader gets past the count check and walks
    /// thousands of real token strings before meeting the mutations.
    func testMutatedDefaultModelHeaderWithAShortVocabularyParsesOrThrowsGGUFError() throws {
        var header = try defaultModelHeader()
        let key = Array("tokenizer.ggml.tokens".utf8)
        let keyStart = try XCTUnwrap((0..<(header.count - key.count)).first { header[$0..<($0 + key.count)].elementsEqual(key) })
        let countOffset = keyStart + key.count + 4 + 4
        XCTAssertEqual(header[countOffset..<(countOffset + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }, 49152)
        header[countOffset] = 0xD0  // 2000 = 0x07D0
        header[countOffset + 1] = 0x07
        var random = SplitMix64(seed: 0xC0FFEE)
        var refused = 0
        let start = Date()
        for _ in 0..<1000 {
            if !parse(mutate(header, &random)) { refused += 1 }
        }
        XCTAssertEqual(refused, 1000)
        XCTAssertLessThan(Date().timeIntervalSince(start), timeLimit)
    }

    func testEveryTruncationOfAValidFileBeforeItsLastTensorEndsIsRefused() throws {
        let bytes = try SampleFiles.small()
        let file = try GGUFFile(bytes: bytes)
        let end = file.tensors.map { file.dataOffset + $0.offset + $0.byteCount }.max() ?? bytes.count
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            XCTAssertEqual(parse(prefix), length >= end, "prefix of \(length) bytes")
        }
    }
}
