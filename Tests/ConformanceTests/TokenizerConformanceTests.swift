// llama.cpp's tokenizer conformance vectors: for each vocabulary-only GGUF in llama.cpp's models folder,
// every input of NAME.gguf.inp must encode to the ids on the same line of NAME.gguf.out.
import Foundation
import GGUF
import Inference
import TestSupport
import XCTest

final class TokenizerConformanceTests: XCTestCase {
    /// One vocabulary's vectors, read as llama.cpp's tests/test-tokenizer-0 reads them.
    struct Vectors {
        var inputs: [String]
        var expected: [[TokenID]]
    }

    /// Splits NAME.gguf.inp on "\n__ggml_vocab_test__\n" and reads one id list per line of NAME.gguf.out.
    static func vectors(_ name: String) throws -> (URL, Vectors) {
        let directory = try TokenizerTestResources.conformanceDirectory()
        let model = directory.appendingPathComponent("ggml-vocab-\(name).gguf")
        let raw = try Data(contentsOf: URL(fileURLWithPath: model.path + ".inp"))
        let out = try String(contentsOf: URL(fileURLWithPath: model.path + ".out"), encoding: .utf8)
        let separator = Array("\n__ggml_vocab_test__\n".utf8)
        let bytes = [UInt8](raw)
        var inputs: [String] = []
        var position = 0
        while position < bytes.count {
            var next: Int?
            var i = position
            while i + separator.count <= bytes.count {
                if bytes[i] == separator[0] && Array(bytes[i..<i + separator.count]) == separator {
                    next = i
                    break
                }
                i += 1
            }
            guard let end = next else {
                inputs.append(String(decoding: bytes[position...], as: UTF8.self))
                break
            }
            inputs.append(String(decoding: bytes[position..<end], as: UTF8.self))
            position = end + separator.count
        }
        var lines = out.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let expected = lines.map { line in
            line.split(separator: " ").compactMap { TokenID($0.trimmingCharacters(in: .whitespaces)) }
        }
        return (model, Vectors(inputs: inputs, expected: expected))
    }

    /// Encodes every vector like test-tokenizer-0 (no BOS/EOS, specials not parsed); returns the failures.
    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (model, vectors) = try Self.vectors(name)
        XCTAssertEqual(vectors.inputs.count, vectors.expected.count, "\(name): .inp and .out disagree", file: file, line: line)
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: model.path))
        var passed = 0
        var failures: [String] = []
        for (input, expected) in zip(vectors.inputs, vectors.expected) {
            let ids = tokenizer.encode(input, addSpecial: false, parseSpecial: false)
            if ids == expected {
                passed += 1
            } else {
                failures.append("  \(input.debugDescription)\n    expected \(expected)\n    got      \(ids)")
            }
        }
        print("conformance \(name): \(passed)/\(vectors.inputs.count) vectors pass")
        XCTAssertTrue(failures.isEmpty, "\(name): \(failures.count) vectors differ from llama.cpp:\n"
                      + failures.joined(separator: "\n"), file: file, line: line)
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
}
