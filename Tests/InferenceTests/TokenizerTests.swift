// The default model's tokenizer against llama.cpp's llama-tokenize (committed goldens), plus decoding,
// streaming and the error messages of unsupported vocabularies.
import Foundation
import GGUF
import Inference
import TestSupport
import XCTest

final class TokenizerTests: XCTestCase {
    struct GoldenCase: Decodable {
        var text: String
        var parseSpecial: Bool
        var ids: [TokenID]
    }

    struct Goldens: Decodable {
        var command: String
        var cases: [GoldenCase]
    }

    static func defaultTokenizer() throws -> Tokenizer {
        try Tokenizer(gguf: GGUFFile(path: TokenizerTestResources.defaultModel()))
    }

    static func goldens() throws -> Goldens {
        let data = try Data(contentsOf: TestResources.fixture("tokenizer/smollm-goldens.json"))
        return try JSONDecoder().decode(Goldens.self, from: data)
    }

    func testEncodingMatchesLlamaTokenizeOnTheGoldenCorpus() throws {
        let tokenizer = try Self.defaultTokenizer()
        let goldens = try Self.goldens()
        XCTAssertGreaterThan(goldens.cases.count, 500)
        var failures: [String] = []
        for golden in goldens.cases {
            let ids = tokenizer.encode(golden.text, addSpecial: true, parseSpecial: golden.parseSpecial)
            if ids != golden.ids {
                failures.append("\(golden.text.debugDescription) parseSpecial=\(golden.parseSpecial)\n"
                                + "  llama.cpp \(golden.ids)\n  ours      \(ids)")
            }
        }
        print("smollm goldens: \(goldens.cases.count - failures.count)/\(goldens.cases.count) match llama-tokenize")
        XCTAssertTrue(failures.isEmpty, failures.prefix(20).joined(separator: "\n"))
    }

    func testChatMarkupBecomesControlTokensOnlyWhenParsingSpecials() throws {
        let tokenizer = try Self.defaultTokenizer()
        let text = "<|im_start|>user\nhi<|im_end|>"
        XCTAssertEqual(tokenizer.encode(text), [1, 4093, 198, 6004, 2])
        let literal = tokenizer.encode(text, parseSpecial: false)
        XCTAssertFalse(literal.contains(1))
        XCTAssertFalse(literal.contains(2))
        XCTAssertEqual(tokenizer.decode(literal), text)
    }

    func testDefaultModelAddsNoBOS() throws {
        let tokenizer = try Self.defaultTokenizer()
        XCTAssertFalse(tokenizer.vocabulary.addBOS)
        XCTAssertEqual(tokenizer.bos, 1)
        XCTAssertEqual(tokenizer.eos, 2)
        XCTAssertEqual(tokenizer.encode("Hello", addSpecial: true), tokenizer.encode("Hello", addSpecial: false))
    }

    func testDecodeRoundTripsEveryGoldenText() throws {
        let tokenizer = try Self.defaultTokenizer()
        for golden in try Self.goldens().cases {
            XCTAssertEqual(tokenizer.decode(golden.ids, renderSpecial: true), golden.text)
        }
    }

    func testDecodeHidesControlTokensUnlessRendered() throws {
        let tokenizer = try Self.defaultTokenizer()
        let ids = tokenizer.encode("<|im_start|>assistant\nHi!<|im_end|>")
        XCTAssertEqual(tokenizer.decode(ids), "assistant\nHi!")
        XCTAssertEqual(tokenizer.decode(ids, renderSpecial: true), "<|im_start|>assistant\nHi!<|im_end|>")
    }

    func testPieceBytesMapByteLevelCharactersBack() throws {
        let tokenizer = try Self.defaultTokenizer()
        let world = try XCTUnwrap(tokenizer.id(of: "Ġworld"))
        XCTAssertEqual(tokenizer.pieceBytes(world), Array(" world".utf8))
        let newline = try XCTUnwrap(tokenizer.id(of: "Ċ"))
        XCTAssertEqual(tokenizer.pieceBytes(newline), [0x0A])
        XCTAssertEqual(tokenizer.pieceBytes(2), [])
        XCTAssertEqual(tokenizer.pieceBytes(2, renderSpecial: true), Array("<|im_end|>".utf8))
        XCTAssertEqual(tokenizer.pieceBytes(-1), [])
        XCTAssertEqual(tokenizer.pieceBytes(TokenID(tokenizer.count)), [])
    }

    func testEndOfGenerationCoversEOSAndChatEndTokens() throws {
        let tokenizer = try Self.defaultTokenizer()
        let imEnd = try XCTUnwrap(tokenizer.id(of: "<|im_end|>"))
        let endOfText = try XCTUnwrap(tokenizer.id(of: "<|endoftext|>"))
        XCTAssertTrue(tokenizer.isEndOfGeneration(imEnd))
        XCTAssertTrue(tokenizer.isEndOfGeneration(endOfText))
        XCTAssertFalse(tokenizer.isEndOfGeneration(try XCTUnwrap(tokenizer.id(of: "<|im_start|>"))))
        XCTAssertFalse(tokenizer.isEndOfGeneration(tokenizer.encode("Hello")[0]))
        XCTAssertEqual(tokenizer.vocabulary.special.eot, imEnd)
    }

    func testStreamingHoldsAnEmojiSplitOverSeveralTokens() throws {
        let tokenizer = try Self.defaultTokenizer()
        let ids = tokenizer.encode("🦙")
        XCTAssertGreaterThan(ids.count, 1, "the llama emoji should need several byte-level tokens")
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        var outputs = ids.map { stream.append($0) }
        outputs.append(stream.finish())
        XCTAssertEqual(outputs.dropLast(2).joined(), "")
        XCTAssertEqual(outputs.joined(), "🦙")
    }

    func testStreamingMatchesDecodeForMixedText() throws {
        let tokenizer = try Self.defaultTokenizer()
        let text = "日本語のテキスト 👨‍👩‍👧‍👦 and ünïcödé, 中文文本。"
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        var pieces: [String] = []
        for id in tokenizer.encode(text) {
            let piece = stream.append(id)
            XCTAssertFalse(piece.contains("\u{FFFD}"), "a partial character was emitted")
            pieces.append(piece)
        }
        pieces.append(stream.finish())
        XCTAssertEqual(pieces.joined(), text)
    }

    func testStreamingFlushesAnUnfinishedCharacterAsReplacement() throws {
        let tokenizer = try Self.defaultTokenizer()
        let ids = tokenizer.encode("🦙")
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        XCTAssertEqual(stream.append(ids[0]), "")
        XCTAssertEqual(stream.finish(), "\u{FFFD}")
    }

    func testEncodingOneMegabyteIsFast() throws {
        let tokenizer = try Self.defaultTokenizer()
        let paragraph = try Self.goldens().cases.map(\.text).joined(separator: " ")
        var text = ""
        while text.utf8.count < 1 << 20 { text += paragraph }
        let start = Date()
        let ids = tokenizer.encode(text, parseSpecial: false)
        let seconds = Date().timeIntervalSince(start)
        print("encoded \(text.utf8.count) bytes into \(ids.count) tokens in \(String(format: "%.3f", seconds)) s")
        XCTAssertLessThan(seconds, 20, "encoding 1 MB took \(seconds) s")
        XCTAssertEqual(tokenizer.decode(ids), text)
    }
}
