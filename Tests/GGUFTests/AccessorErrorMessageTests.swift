// Pins the typed metadata accessors' behaviour: conversions they allow and the errors they throw.
import GGUF
import XCTest

final class AccessorErrorMessageTests: XCTestCase {
    private func file() throws -> GGUFFile {
        var writer = GGUFWriter()
        writer.set("llama.block_count", .uint32(30))
        writer.set("llama.rope.freq_base", .float32(10_000))
        writer.set("general.name", .string("SmolLM2"))
        writer.set("tokenizer.ggml.token_type", .array(.int32([1, 3, 6])))
        writer.set("huge", .uint64(.max))
        return try GGUFFile(bytes: writer.serialized())
    }

    func testKeyOfAnotherTypeNamesExpectedAndFoundTypes() throws {
        let file = try file()
        XCTAssertThrowsError(try file.string("llama.block_count")) {
            XCTAssertEqual("\($0)", "metadata key 'llama.block_count' is UINT32, expected STRING: the model file "
                           + "does not follow the GGUF conventions; re-convert it with a current llama.cpp.")
        }
        XCTAssertThrowsError(try file.stringArray("tokenizer.ggml.token_type")) {
            XCTAssertEqual($0 as? GGUFError, .typeMismatch(key: "tokenizer.ggml.token_type",
                                                           expected: "ARRAY[STRING]", found: "ARRAY[INT32]"))
        }
    }

    func testMissingKeySaysWhatToDo() throws {
        XCTAssertThrowsError(try file().int("llama.context_length")) {
            XCTAssertEqual("\($0)", "metadata key 'llama.context_length' is missing: the model file lacks required "
                           + "metadata; re-convert it with a current llama.cpp or use another GGUF.")
        }
    }

    func testOptionalAccessorsReturnNilOnlyForAbsentKeys() throws {
        let file = try file()
        XCTAssertNil(try file.optionalString("general.license"))
        XCTAssertEqual(try file.optionalString("general.name"), "SmolLM2")
        XCTAssertThrowsError(try file.optionalBool("general.name"))
    }

    func testNumericAccessorsConvertBetweenRepresentations() throws {
        let file = try file()
        XCTAssertEqual(try file.int("llama.block_count"), 30)
        XCTAssertEqual(try file.float("llama.block_count"), 30)
        XCTAssertEqual(try file.float("llama.rope.freq_base"), 10_000)
        XCTAssertEqual(try file.intArray("tokenizer.ggml.token_type"), [1, 3, 6])
        XCTAssertEqual(try file.floatArray("tokenizer.ggml.token_type"), [1, 3, 6])
        XCTAssertThrowsError(try file.int("llama.rope.freq_base"))
    }

    func testUInt64AboveIntMaxIsOutOfRange() throws {
        XCTAssertThrowsError(try file().int("huge")) {
            XCTAssertEqual("\($0)", "metadata key 'huge' holds 18446744073709551615, which is out of range for a "
                           + "signed 64-bit integer; the model file is malformed: re-convert it.")
        }
    }
}
