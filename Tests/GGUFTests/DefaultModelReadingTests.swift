// Reads the real default model (SmolLM2-135M-Instruct Q4_1) and checks facts gguf-py reports for the same file.
import GGUF
import TestSupport
import Foundation
import XCTest

final class DefaultModelReadingTests: XCTestCase {
    private func openDefaultModel() throws -> GGUFFile {
        try GGUFFile(path: try TestResources.requireDefaultModel())
    }

    func testHeaderCountsMatchTheFile() throws {
        let file = try openDefaultModel()
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.tensors.count, 272)
        XCTAssertEqual(file.metadataKeys.count, 33)
        XCTAssertEqual(file.metadata.count, 33)
        XCTAssertEqual(file.alignment, 32)
        XCTAssertEqual(file.fileSize, 98_362_432)
    }

    func testTokenEmbeddingIsQ8_0WithGGMLOrderDimensions() throws {
        let file = try openDefaultModel()
        let embedding = try XCTUnwrap(file.tensor(named: "token_embd.weight"))
        XCTAssertEqual(embedding.dimensions, [576, 49152])
        XCTAssertEqual(embedding.type, .q8_0)
        XCTAssertEqual(embedding.rowLength, 576)
        XCTAssertEqual(embedding.rowCount, 49152)
        XCTAssertEqual(embedding.byteCount, 30_081_024)
        XCTAssertEqual(file.dataOffset + embedding.offset, 1_785_664)
        XCTAssertEqual(file.unsafeTensorBytes(embedding).count, 30_081_024)
    }

    func testFeedForwardDownIsQ4_1() throws {
        let file = try openDefaultModel()
        let down = try XCTUnwrap(file.tensor(named: "blk.0.ffn_down.weight"))
        XCTAssertEqual(down.type, .q4_1)
        XCTAssertEqual(down.dimensions, [1536, 576])
        XCTAssertEqual(down.byteCount, 552_960)
        XCTAssertEqual(file.dataOffset + down.offset, 31_868_992)
        XCTAssertEqual(file.tensor(named: "blk.0.attn_norm.weight")?.type, .f32)
    }

    func testArchitectureAndTokenizerMetadata() throws {
        let file = try openDefaultModel()
        XCTAssertEqual(try file.string("general.architecture"), "llama")
        XCTAssertEqual(file.architecture, "llama")
        XCTAssertEqual(try file.int("llama.block_count"), 30)
        XCTAssertEqual(try file.int("llama.embedding_length"), 576)
        XCTAssertEqual(try file.string("tokenizer.ggml.model"), "gpt2")
        XCTAssertEqual(try file.stringArray("tokenizer.ggml.tokens").count, 49152)
        XCTAssertEqual(try file.intArray("tokenizer.ggml.token_type").count, 49152)
        XCTAssertEqual(try file.stringArray("tokenizer.ggml.merges").count, 48900)
        XCTAssertEqual(try file.bool("tokenizer.ggml.add_bos_token"), false)
        let template = try file.string("tokenizer.chat_template")
        XCTAssertTrue(template.contains("<|im_start|>"), template)
        XCTAssertEqual(file.metadataKeys.first, "general.architecture")
        XCTAssertEqual(file.metadataKeys.last, "general.quantization_version")
    }

    func testMetadataKeyNamesMatchTheDefaultModel() throws {
        let file = try openDefaultModel()
        let arch = try file.string(MetadataKey.architecture)
        let keys = [
            MetadataKey.name, MetadataKey.fileType, MetadataKey.quantizationVersion,
            MetadataKey.contextLength(arch), MetadataKey.embeddingLength(arch), MetadataKey.blockCount(arch),
            MetadataKey.feedForwardLength(arch), MetadataKey.vocabSize(arch), MetadataKey.headCount(arch),
            MetadataKey.headCountKV(arch), MetadataKey.rmsNormEpsilon(arch), MetadataKey.ropeFreqBase(arch),
            MetadataKey.ropeDimensionCount(arch), MetadataKey.tokenizerModel, MetadataKey.tokenizerPre,
            MetadataKey.tokens, MetadataKey.tokenType, MetadataKey.merges, MetadataKey.bosTokenID,
            MetadataKey.eosTokenID, MetadataKey.unknownTokenID, MetadataKey.paddingTokenID,
            MetadataKey.addBOSToken, MetadataKey.addSpacePrefix, MetadataKey.chatTemplate,
        ]
        for key in keys { XCTAssertNotNil(file.value(key), key) }
        XCTAssertEqual(try file.int(MetadataKey.headCount(arch)), 9)
        XCTAssertEqual(try file.int(MetadataKey.headCountKV(arch)), 3)
        XCTAssertEqual(try file.float(MetadataKey.rmsNormEpsilon(arch)), 1e-5, accuracy: 1e-9)
    }
}

/// Opening must stay cheap: the loader, `models inspect` and every test open the model, and the 49k-entry
/// vocabulary and merges arrays are most of the header.
final class DefaultModelOpeningSpeedTests: XCTestCase {
    func testOpeningTheDefaultModelTakesMillisecondsInRelease() throws {
        let path = try TestResources.requireDefaultModel()
        _ = try GGUFFile(path: path)  // warm the page cache
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let file = try GGUFFile(path: path)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            XCTAssertEqual(file.tensors.count, 272)
        }
        print("opening the default model: best of 5 = \(best) ms")
        #if !DEBUG
        XCTAssertLessThan(best, 50, "parsing 1.8 MB of header should take a few ms")
        #endif
    }
}
