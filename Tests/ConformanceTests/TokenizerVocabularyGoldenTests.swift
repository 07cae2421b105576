// Every llama.cpp vocabulary-only GGUF (including those without .inp/.out vectors: Unigram, SentencePiece and
// default-split BPE ones) against llama-tokenize's ids for a corpus of tricky and random texts, with both
// settings of BOS/EOS and special-token parsing. Fixture: Tests/Fixtures/tokenizer/vocabulary-goldens.json.
import Foundation
import GGUF
import Inference
import TestSupport
import XCTest

final class TokenizerVocabularyGoldenTests: XCTestCase {
    struct GoldenCase: Decodable {
        var text: String
        var parseSpecial: Bool
        var addSpecial: Bool
        var ids: [TokenID]
    }

    struct Goldens: Decodable {
        var command: String
        var vocabularies: [String: [GoldenCase]]
    }

    static let goldens: Result<Goldens, any Error> = Result {
        try JSONDecoder().decode(Goldens.self,
                                 from: Data(contentsOf: TestResources.fixture("tokenizer/vocabulary-goldens.json")))
    }

    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let cases = try XCTUnwrap(Self.goldens.get().vocabularies[name], "no goldens for \(name)")
        let path = try TokenizerTestResources.conformanceDirectory().appendingPathComponent("ggml-vocab-\(name).gguf").path
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: path))
        var failures: [String] = []
        for golden in cases {
            // llama-tokenize passes add_special = (the vocabulary adds BOS) && !--no-bos.
            let addSpecial = golden.addSpecial && tokenizer.vocabulary.addBOS
            let ids = tokenizer.encode(golden.text, addSpecial: addSpecial, parseSpecial: golden.parseSpecial)
            if ids != golden.ids {
                failures.append("\(golden.text.debugDescription) addSpecial=\(addSpecial) "
                                + "parseSpecial=\(golden.parseSpecial)\n  llama.cpp \(golden.ids)\n  ours      \(ids)")
            }
        }
        print("vocabulary goldens \(name): \(cases.count - failures.count)/\(cases.count) match llama-tokenize")
        XCTAssertTrue(failures.isEmpty, "\(name):\n" + failures.prefix(10).joined(separator: "\n"),
                      file: file, line: line)
    }

    func testLlamaSPM() throws { try check("llama-spm") }
    func testPhi3() throws { try check("phi-3") }
    func testLlamaBPE() throws { try check("llama-bpe") }
    func testQwen2() throws { try check("qwen2") }
    func testQwen35() throws { try check("qwen35") }
    func testGPT2() throws { try check("gpt-2") }
    func testStarCoder() throws { try check("starcoder") }
    func testRefact() throws { try check("refact") }
    func testDeepSeekCoder() throws { try check("deepseek-coder") }
    func testDeepSeekLLM() throws { try check("deepseek-llm") }
    func testFalcon() throws { try check("falcon") }
    func testMPT() throws { try check("mpt") }
    func testCommandR() throws { try check("command-r") }
    func testGemma4() throws { try check("gemma-4") }
    func testBertBGE() throws { try check("bert-bge") }
    func testNomicBertMoEUnigram() throws { try check("nomic-bert-moe") }
    func testAquilaDefaultSplitter() throws { try check("aquila") }
    func testGPTNeoXDefaultSplitter() throws { try check("gpt-neox") }
    func testBaichuanSPM() throws { try check("baichuan") }
}
