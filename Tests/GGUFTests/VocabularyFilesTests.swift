// Reads every vocabulary-only GGUF that llama.cpp ships for its tokenizer tests (many converters, many model
// families) and checks each against what gguf-py's reader reported for the same file (Fixtures/gguf/README.md).
import Foundation
import GGUF
import TestSupport
import XCTest

final class VocabularyFilesTests: XCTestCase {
    /// One entry of vocab-facts.json.
    private struct Facts: Decodable {
        let keys: [String]
        let tensors: Int
        let tokens: Int
        let model: String
    }

    func testEveryLlamaCppVocabularyFileReadsLikeGGUFPySeesIt() throws {
        let directory: URL
        do {
            directory = try TestResources.conformanceModelsDirectory()
        } catch {
            if TestResources.offline { throw XCTSkip("conformance material unavailable offline: \(error)") }
            throw error
        }
        let data = try Data(contentsOf: TestResources.fixture("gguf/vocab-facts.json"))
        let facts = try JSONDecoder().decode([String: Facts].self, from: data)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".gguf") }.sorted()
        XCTAssertEqual(names, facts.keys.sorted())
        for name in names {
            let file = try GGUFFile(path: directory.appendingPathComponent(name).path)
            let expected = try XCTUnwrap(facts[name], name)
            XCTAssertEqual(file.metadataKeys, expected.keys, name)
            XCTAssertEqual(file.tensors.count, expected.tensors, name)
            XCTAssertEqual(try file.optionalStringArray(MetadataKey.tokens)?.count ?? 0, expected.tokens, name)
            XCTAssertEqual(try file.optionalString(MetadataKey.tokenizerModel) ?? "", expected.model, name)
        }
    }
}
