// Pins the exact text of the reader's errors: what is wrong, where (key, tensor, byte offset), what to do.
import GGUF
import XCTest

final class ReaderErrorMessageTests: XCTestCase {
    /// Parses `bytes` and returns the error text, failing the test if parsing succeeds.
    private func message(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try GGUFFile(bytes: bytes)
            XCTFail("parsed without error", file: file, line: line)
            return ""
        } catch {
            return error.description
        }
    }

    func testTruncatedHeaderNamesTheFieldAndOffset() {
        var raw = RawGGUF()
        raw.append(Array("GGUF".utf8))
        raw.u32(3)
        raw.u32(0)
        XCTAssertEqual(message(raw.bytes),
                       "GGUF data ends early at byte 8 while reading the tensor count: needed 8 bytes, 4 remain; "
                       + "the file is truncated or not a GGUF model: download it again.")
    }

    func testEmptyInputIsTruncatedAtTheMagic() {
        XCTAssertEqual(message([]),
                       "GGUF data ends early at byte 0 while reading the file magic: needed 4 bytes, 0 remain; "
                       + "the file is truncated or not a GGUF model: download it again.")
    }

    func testBadMagicShowsTheBytesFound() {
        XCTAssertEqual(message([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]),
                       "not a GGUF file: it starts with bytes 50 4B 03 04, expected \"GGUF\" (47 47 55 46); "
                       + "check that the path points at a .gguf model.")
    }

    func testVersion1IsRefusedWithAConversionHint() {
        XCTAssertEqual(message(RawGGUF.header(version: 1, tensors: 0, keys: 0).bytes),
                       "GGUF version 1 is not supported (it predates 64-bit counts): convert the model again with "
                       + "a current llama.cpp or download a GGUF v3 file.")
    }

    func testBigEndianFileIsRecognised() {
        XCTAssertEqual(message(RawGGUF.header(version: UInt32(3).byteSwapped, tensors: 0, keys: 0).bytes),
                       "GGUF file is big-endian (version field reads 50331648): only little-endian files are "
                       + "supported; convert it with gguf-py's gguf_convert_endian.py or download a little-endian "
                       + "file.")
    }

    func testStringLongerThanTheRestOfTheFileIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("general.name")
        raw.u32(8)
        raw.u64(1 << 40)
        raw.append(Array("short".utf8))
        XCTAssertEqual(message(raw.bytes),
                       "the value of key 'general.name' at byte 48 declares a string of 1099511627776 bytes, more "
                       + "than the 5 allowed there; the file is corrupt or not a GGUF model: download it again.")
    }

    func testKeyCountBeyondTheFileIsRefusedBeforeReadingKeys() {
        let raw = RawGGUF.header(tensors: 0, keys: 1_000_000)
        XCTAssertEqual(message(raw.bytes),
                       "the metadata key count at byte 16 is 1000000, more than the 0 the rest of the file can "
                       + "hold; the file is corrupt or not a GGUF model: download it again.")
    }

    func testArrayCountBeyondTheFileIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("tokenizer.ggml.scores")
        raw.u32(9)
        raw.u32(6)
        raw.u64(UInt64.max)
        raw.u32(0)
        XCTAssertEqual(message(raw.bytes),
                       "the element count of array 'tokenizer.ggml.scores' at byte 61 is 18446744073709551615, "
                       + "more than the 1 the rest of the file can hold; the file is corrupt or not a GGUF model: "
                       + "download it again.")
    }

    func testTensorDataPastTheEndOfTheFileIsRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("output.weight", dims: [64, 4], type: 0, offset: 0)
        raw.data(100)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'output.weight' (described at byte 24) needs 1024 bytes from byte 96, past the end "
                       + "of the 196-byte file; the file is truncated or not a GGUF model: download it again.")
    }

    func testUnknownTensorTypeIsRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("blk.0.attn_q.weight", dims: [32], type: 31, offset: 0)
        raw.data(64)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'blk.0.attn_q.weight' at byte 63 has unknown ggml type 31; the file uses a "
                       + "quantization this version does not support (or is corrupt): use a Q4_0/Q4_1/Q8_0/K-quant "
                       + "file.")
    }

    func testMisalignedTensorOffsetIsRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("w", dims: [4], type: 0, offset: 8)
        raw.data(64)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'w' at byte 49 has data offset 8, not a multiple of the alignment 32; the file is "
                       + "malformed: re-convert or download it again.")
    }

    func testUnknownValueTypeNamesTheKey() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("general.name")
        raw.u32(13)
        raw.u64(0)
        XCTAssertEqual(message(raw.bytes),
                       "metadata key 'general.name' at byte 44 has unknown value type 13 (known: 0-12); the file "
                       + "is corrupt or not a GGUF model: download it again.")
    }

    func testDuplicateKeyIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 2)
        raw.keyUInt32("llama.block_count", 30)
        raw.keyUInt32("llama.block_count", 31)
        XCTAssertEqual(message(raw.bytes),
                       "metadata key 'llama.block_count' appears twice (second at byte 57); the file is "
                       + "malformed: re-convert or download it again.")
    }

    func testAlignmentThatIsNotAPowerOfTwoIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.keyUInt32("general.alignment", 48)
        XCTAssertEqual(message(raw.bytes),
                       "general.alignment at byte 53 is 48, but must be a UINT32 power of two; the file is "
                       + "malformed: re-convert or download it again.")
    }

    func testAlignmentOfTheWrongTypeIsRefused() {
        var writer = GGUFWriter()
        writer.set("general.alignment", .uint64(32))
        XCTAssertEqual(message(writer.serialized()),
                       "general.alignment at byte 53 is a value of type UINT64, but must be a UINT32 power of two; "
                       + "the file is malformed: re-convert or download it again.")
    }

    func testInvalidUTF8InAKeyIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.u64(3)
        raw.append([0x61, 0xC3, 0x28])
        raw.u32(0)
        raw.u8(0)
        XCTAssertEqual(message(raw.bytes),
                       "metadata key #0 at byte 24 is not valid UTF-8; the file is corrupt or not a GGUF model: "
                       + "download it again.")
    }

    func testTooManyDimensionsAreRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("w", dims: [1, 1, 1, 1, 1], type: 0, offset: 0)
        raw.data(32)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'w' at byte 33 has 5 dimensions (must be 1 to 4); the file is corrupt or not a GGUF "
                       + "model: download it again.")
    }

    func testRowLengthThatIsNotWholeBlocksIsRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("w", dims: [48, 2], type: 8, offset: 0)
        raw.data(128)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'w' at byte 33 of type Q8_0 has rows of 48 elements, not a multiple of its block "
                       + "size 32; the file is corrupt or not a GGUF model: download it again.")
    }

    func testShapeWhoseSizeOverflowsIsRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("w", dims: [1 << 40, 1 << 40], type: 0, offset: 0)
        raw.data(32)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'w' at byte 33 has shape [1099511627776, 1099511627776], whose size overflows; the "
                       + "file is corrupt or not a GGUF model: download it again.")
    }

    func testArraysNestedTooDeeplyAreRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("deep")
        raw.u32(9)
        for _ in 0..<9 {
            raw.u32(9)
            raw.u64(1)
        }
        raw.u32(0)
        raw.u64(0)
        XCTAssertEqual(message(raw.bytes),
                       "metadata key 'deep' nests arrays deeper than 8 levels at byte 136; the file is corrupt or "
                       + "not a GGUF model: download it again.")
    }

    func testDuplicateTensorNameIsRefused() {
        var raw = RawGGUF.header(tensors: 2, keys: 0)
        raw.tensor("w", dims: [8], type: 0, offset: 0)
        raw.tensor("w", dims: [8], type: 0, offset: 32)
        raw.data(64)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'w' appears twice (second at byte 57); the file is malformed: re-convert or download "
                       + "it again.")
    }

    func testBoolOtherThanZeroOrOneIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("tokenizer.ggml.add_bos_token")
        raw.u32(7)
        raw.u8(2)
        XCTAssertEqual(message(raw.bytes),
                       "metadata key 'tokenizer.ggml.add_bos_token' has a BOOL byte 2 at byte 64 (must be 0 or 1); "
                       + "the file is corrupt or not a GGUF model: download it again.")
    }

    func testZeroDimensionIsRefused() {
        var raw = RawGGUF.header(tensors: 1, keys: 0)
        raw.tensor("w", dims: [8, 0], type: 0, offset: 0)
        raw.data(32)
        XCTAssertEqual(message(raw.bytes),
                       "tensor 'w' at byte 45 has dimension 1 = 0 (must be 1 to 2^63-1); the file is corrupt or not "
                       + "a GGUF model: download it again.")
    }

    func testEmptyKeyIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("")
        raw.u32(0)
        raw.u8(1)
        raw.u8(0)  // one spare byte: the key count check assumes keys of at least one byte
        XCTAssertEqual(message(raw.bytes),
                       "metadata key #0 at byte 24 is empty; the file is corrupt or not a GGUF model: download it "
                       + "again.")
    }

    func testZeroAlignmentIsRefused() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.keyUInt32("general.alignment", 0)
        XCTAssertEqual(message(raw.bytes),
                       "general.alignment at byte 53 is 0, but must be a UINT32 power of two; the file is "
                       + "malformed: re-convert or download it again.")
    }

    func testInvalidUTF8InAStringValueNamesTheKey() {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.string("general.name")
        raw.u32(8)
        raw.u64(2)
        raw.append([0xED, 0xA0])  // a UTF-16 surrogate, never valid in UTF-8
        XCTAssertEqual(message(raw.bytes),
                       "the value of key 'general.name' at byte 48 is not valid UTF-8; the file is corrupt or not a "
                       + "GGUF model: download it again.")
    }

    func testFileWithoutTensorsMayEndBeforeThePaddedDataOffset() throws {
        var raw = RawGGUF.header(tensors: 0, keys: 1)
        raw.keyUInt32("a", 1)
        let file = try GGUFFile(bytes: raw.bytes)
        XCTAssertEqual(file.fileSize, 41)
        XCTAssertEqual(file.dataOffset, 64)
        XCTAssertTrue(file.tensors.isEmpty)
    }
}
