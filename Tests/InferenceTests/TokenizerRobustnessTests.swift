// Encoding arbitrary bytes and decoding arbitrary ids never crashes, for every kind of tokenizer.
import Foundation
import GGUF
import Inference
import TestSupport
import XCTest

final class TokenizerRobustnessTests: XCTestCase {
    /// The shared seeded generator (SplitMix64), so failures reproduce.
    typealias SplitMix = MutationRandom

    /// Random byte strings biased towards UTF-8 lead/continuation bytes, spaces, digits and '<'.
    static func randomBytes(_ rng: inout SplitMix, count: Int) -> [UInt8] {
        let interesting: [UInt8] = [0x20, 0x0A, 0x0D, 0x09, 0x27, 0x3C, 0x7C, 0x3E, 0x31, 0x61, 0x41,
                                    0xC3, 0xA9, 0xE2, 0x96, 0x81, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x80, 0x00]
        return (0..<count).map { _ in
            Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        }
    }

    func exercise(_ tokenizer: Tokenizer, seed: UInt64) {
        var rng = SplitMix(seed: seed)
        for round in 0..<300 {
            let bytes = Self.randomBytes(&rng, count: Int.random(in: 0...64, using: &rng))
            let ids = bytes.withUnsafeBufferPointer {
                tokenizer.encode(utf8: $0, addSpecial: round % 2 == 0, parseSpecial: round % 3 == 0)
            }
            XCTAssertTrue(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.count }, "id out of range for \(bytes)")
            let again = bytes.withUnsafeBufferPointer {
                tokenizer.encode(utf8: $0, addSpecial: round % 2 == 0, parseSpecial: round % 3 == 0)
            }
            XCTAssertEqual(ids, again)
            let randomIDs = (0..<20).map { _ in TokenID.random(in: -5...TokenID(tokenizer.count + 5), using: &rng) }
            _ = tokenizer.decode(randomIDs, renderSpecial: round % 2 == 0)
            var stream = StreamingDetokenizer(tokenizer: tokenizer)
            let streamed = randomIDs.map { stream.append($0) }.joined() + stream.finish()
            _ = streamed
        }
    }

    func testDefaultModelSurvivesRandomBytesAndIDs() throws {
        exercise(try Tokenizer(gguf: GGUFFile(path: TokenizerTestResources.defaultModel())), seed: 1)
    }

    func testValidUTF8RoundTripsThroughTheDefaultModel() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: TokenizerTestResources.defaultModel()))
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 1...40, using: &rng)).compactMap { _ -> Unicode.Scalar? in
                let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0x09...0x0D, 0xA0...0x2FF, 0x3040...0x30FF,
                                                     0x4E00...0x9FFF, 0x1F300...0x1FAFF, 0x0600...0x06FF]
                return Unicode.Scalar(UInt32.random(in: ranges.randomElement(using: &rng)!, using: &rng))
            }
            let text = String(String.UnicodeScalarView(scalars))
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text, parseSpecial: false)), text)
        }
    }

    func testSentencePieceUnigramAndWordPieceSurviveRandomBytes() throws {
        for name in ["llama-spm", "nomic-bert-moe", "bert-bge"] {
            let path = try TokenizerTestResources.conformanceDirectory()
                .appendingPathComponent("ggml-vocab-\(name).gguf").path
            exercise(try Tokenizer(gguf: GGUFFile(path: path)), seed: UInt64(name.utf8.count))
        }
    }
}
