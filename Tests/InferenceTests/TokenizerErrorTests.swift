// Vocabularies the tokenizer must refuse, and the exact messages users see. The files are the default
// model's metadata rewritten by our GGUF writer with one key changed.
import Foundation
import GGUF
import Inference
import TestSupport
import XCTest

final class TokenizerErrorTests: XCTestCase {
    /// The default model's metadata with `changes` applied (nil removes a key), as a parsed GGUF file.
    static func defaultModelMetadata(changing changes: [String: GGUFValue?]) throws -> GGUFFile {
        let original = try GGUFFile(path: TokenizerTestResources.defaultModel())
        var writer = GGUFWriter()
        for key in original.metadataKeys where key.hasPrefix("tokenizer.") || key.hasPrefix("general.") {
            if let value = original.metadata[key] { writer.set(key, value) }
        }
        for (key, value) in changes {
            if let value { writer.set(key, value) } else { writer.remove(key) }
        }
        return try GGUFFile(bytes: writer.serialized())
    }

    func error(_ body: () throws -> Void) -> TokenizerError? {
        do {
            try body()
        } catch let error as TokenizerError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
        }
        return nil
    }

    func testUnmodifiedMetadataStillTokenizesLikeTheModel() throws {
        let file = try Self.defaultModelMetadata(changing: [:])
        let tokenizer = try Tokenizer(gguf: file)
        XCTAssertEqual(tokenizer.encode("<|im_start|>user\nhi<|im_end|>"), [1, 4093, 198, 6004, 2])
    }

    func testUnknownTokenizerModelIsRefusedByName() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.model": .string("rwkv")])
        let error = error { _ = try Tokenizer(gguf: file) }
        XCTAssertEqual(error, .unsupportedModel("rwkv"))
        XCTAssertEqual(error?.description,
                       "unsupported tokenizer model 'rwkv' (tokenizer.ggml.model): Tokenworks implements gpt2, "
                       + "llama, bert, t5, gemma4; use a model converted with one of those")
    }

    func testPreTokenizerWithoutASplitterIsRefusedByName() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.pre": .string("chameleon")])
        let vocabulary = try Vocabulary(gguf: file)
        XCTAssertEqual(vocabulary.preTokenizerName, "chameleon")
        let error = error { _ = try Tokenizer(vocabulary: vocabulary) }
        XCTAssertEqual(error, .unsupportedPreTokenizer("chameleon", model: "gpt2"))
        let message = error?.description ?? ""
        XCTAssertTrue(message.hasPrefix("unsupported pre-tokenizer 'chameleon' (tokenizer.ggml.pre) for tokenizer model "
                                        + "'gpt2': Tokenworks does not know how this family splits text; use a model "
                                        + "whose pre-tokenizer is one of "), message)
        XCTAssertTrue(message.contains("smollm"))
        XCTAssertFalse(message.contains("chameleon,"))
    }

    func testPreTokenizerUnknownToLlamaCppIsRefusedWhenReadingTheVocabulary() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.pre": .string("my-own-splitter")])
        XCTAssertEqual(error { _ = try Vocabulary(gguf: file) },
                       .unsupportedPreTokenizer("my-own-splitter", model: "gpt2"))
    }

    func testMalformedMergeIsReportedWithItsIndexAndText() throws {
        let merges = try XCTUnwrap(GGUFFile(path: TokenizerTestResources.defaultModel())
            .stringArray("tokenizer.ggml.merges"))
        var broken = merges
        broken[7] = "nospace"
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.merges": .array(.string(broken))])
        let error = error { _ = try Tokenizer(gguf: file) }
        XCTAssertEqual(error, .badMerge(index: 7, text: "nospace"))
        XCTAssertEqual(error?.description,
                       "BPE merge #7 'nospace' is not two pieces separated by a space (tokenizer.ggml.merges): the "
                       + "file is corrupt; re-convert or download it again")
    }

    func testMissingTokenListIsReportedByKey() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.tokens": nil])
        let error = error { _ = try Vocabulary(gguf: file) }
        XCTAssertEqual(error, .missingKey("tokenizer.ggml.tokens"))
        XCTAssertEqual(error?.description,
                       "the vocabulary has no 'tokenizer.ggml.tokens' key: the GGUF file was not converted with a "
                       + "tokenizer; re-convert it with llama.cpp's convert_hf_to_gguf.py")
    }

    func testMissingMergesForBPEIsReportedByKey() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.merges": nil])
        XCTAssertEqual(error { _ = try Vocabulary(gguf: file) }, .missingKey("tokenizer.ggml.merges"))
    }

    func testWronglyTypedKeyNamesTheKey() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.token_type": .string("oops")])
        guard case .invalidMetadata(let key, _)? = error({ _ = try Vocabulary(gguf: file) }) else {
            return XCTFail("expected invalidMetadata")
        }
        XCTAssertEqual(key, "tokenizer.ggml.token_type")
    }

    func testShortScoreArrayIsRefused() throws {
        let file = try Self.defaultModelMetadata(changing: ["tokenizer.ggml.scores": .array(.float32([0, 1, 2]))])
        let error = error { _ = try Vocabulary(gguf: file) }
        XCTAssertEqual(error, .arrayTooShort(key: "tokenizer.ggml.scores", count: 3, tokens: 49152))
        XCTAssertEqual(error?.description,
                       "'tokenizer.ggml.scores' has 3 entries but the vocabulary has 49152 tokens: the file is "
                       + "corrupt; re-convert or download it again")
    }
}
