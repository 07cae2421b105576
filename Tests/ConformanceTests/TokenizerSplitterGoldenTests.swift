// Pre-tokenizers no vocabulary in llama.cpp's models folder uses (GPT-4o/Llama 4, Tekken, DeepSeek V3, AFMoE,
// Tiny Aya, Seed-Coder, BLOOM-style, llama.cpp's default…): the Llama 3 vocabulary with tokenizer.ggml.pre
// replaced, against llama-tokenize run on the same replacement. Fixture: Tests/Fixtures/tokenizer/splitter-goldens.json.
import Foundation
import GGUF
import Inference
import TestSupport
import XCTest

final class TokenizerSplitterGoldenTests: XCTestCase {
    struct GoldenCase: Decodable {
        var text: String
        var ids: [TokenID]
    }

    struct Goldens: Decodable {
        var vocabularies: [String: [GoldenCase]]
    }

    static let base: Result<VocabularyMetadata, any Error> = Result {
        let path = try TokenizerTestResources.conformanceDirectory().appendingPathComponent("ggml-vocab-llama-bpe.gguf").path
        return try VocabularyMetadata(gguf: GGUFFile(path: path))
    }

    func check(_ pre: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let goldens = try JSONDecoder().decode(
            Goldens.self, from: Data(contentsOf: TestResources.fixture("tokenizer/splitter-goldens.json")))
        let cases = try XCTUnwrap(goldens.vocabularies[pre], "no goldens for \(pre)")
        var metadata = try Self.base.get()
        metadata.pre = pre
        let tokenizer = try Tokenizer(vocabulary: Vocabulary(metadata: metadata))
        var failures: [String] = []
        for golden in cases {
            let ids = tokenizer.encode(golden.text, addSpecial: false, parseSpecial: false)
            if ids != golden.ids {
                failures.append("\(golden.text.debugDescription)\n  llama.cpp \(golden.ids)\n  ours      \(ids)")
            }
        }
        print("splitter goldens \(pre): \(cases.count - failures.count)/\(cases.count) match llama-tokenize")
        XCTAssertTrue(failures.isEmpty, "\(pre):\n" + failures.prefix(10).joined(separator: "\n"), file: file, line: line)
    }

    func testGPT4o() throws { try check("gpt-4o") }
    func testTekken() throws { try check("tekken") }
    func testDeepSeekV3() throws { try check("deepseek-v3") }
    func testLlamaCppDefault() throws { try check("default") }
    func testPoro() throws { try check("poro-chat") }
    func testViking() throws { try check("viking") }
    func testGraniteEmbeddingMultilingual() throws { try check("granite-embed-multi-97m") }
    func testUfakzeka() throws { try check("ufakzeka") }
    func testSeedCoder() throws { try check("seed-coder") }
    func testBailingMoE() throws { try check("bailingmoe") }
    func testMiniCPM5() throws { try check("minicpm5") }
    func testLaguna() throws { try check("laguna") }
    func testAFMoE() throws { try check("afmoe") }
    func testTinyAya() throws { try check("tiny_aya") }
    func testJais2() throws { try check("jais-2") }
}
