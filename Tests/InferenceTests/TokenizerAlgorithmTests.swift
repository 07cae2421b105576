// The tokenizer's rules on tiny hand-made vocabularies, one rule per test: merge order, ties, byte
// fallback, SentencePiece scores, special-token splitting with strip attributes, clean-up of spaces.
import Inference
import XCTest

final class TokenizerAlgorithmTests: XCTestCase {
    /// A byte-level BPE vocabulary: the given pieces after the 256 byte characters.
    static func bpe(pieces: [String], merges: [String], pre: String = "gpt-2", types: [Int]? = nil,
                    name: String? = nil) throws -> Tokenizer {
        var alphabet: [String] = []
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            let offset = (0..<byte).filter { b in
                !((0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b))
            }.count
            alphabet.append(String(UnicodeScalar(UInt32(printable ? byte : 256 + offset))!))
        }
        let tokens = alphabet + pieces
        let metadata = VocabularyMetadata(model: "gpt2", pre: pre, tokens: tokens,
                                          tokenTypes: types.map { [Int](repeating: 1, count: 256) + $0 },
                                          merges: merges, generalName: name)
        return try Tokenizer(vocabulary: Vocabulary(metadata: metadata))
    }

    func id(_ tokenizer: Tokenizer, _ piece: String) throws -> TokenID {
        try XCTUnwrap(tokenizer.id(of: piece), "no piece \(piece)")
    }

    func testLowerRankMergesFirst() throws {
        let t = try Self.bpe(pieces: ["ab", "bc", "abc"], merges: ["b c", "a b", "ab c"])
        XCTAssertEqual(t.encode("abc"), [try id(t, "a"), try id(t, "bc")])
        let u = try Self.bpe(pieces: ["ab", "bc", "abc"], merges: ["a b", "b c", "ab c"])
        XCTAssertEqual(u.encode("abc"), [try id(u, "abc")])
    }

    func testEqualRanksMergeLeftmostFirst() throws {
        let t = try Self.bpe(pieces: ["aa"], merges: ["a a"])
        XCTAssertEqual(t.encode("aaa"), [try id(t, "aa"), try id(t, "a")])
        XCTAssertEqual(t.encode("aaaa"), [try id(t, "aa"), try id(t, "aa")])
    }

    func testTheFirstOfTwoRulesForOnePairWins() throws {
        let t = try Self.bpe(pieces: ["ab", "ba", "aba"], merges: ["a b", "b a", "ab a", "a b"])
        XCTAssertEqual(t.encode("aba"), [try id(t, "aba")])
    }

    func testWordsAreMergedSeparately() throws {
        let t = try Self.bpe(pieces: ["Ġa", "aĠ"], merges: ["a Ġ", "Ġ a"])
        // GPT-2 splits "a a" into "a" and " a": the space joins the second word, never the first.
        XCTAssertEqual(t.encode("a a"), [try id(t, "a"), try id(t, "Ġa")])
    }

    func testLlama3EmitsAWholeWordTokenWithoutMerging() throws {
        // "abc" is a token but no rule builds it: Llama 3 (ignore_merges) still emits it whole.
        let t = try Self.bpe(pieces: ["ab", "abc"], merges: ["a b"], pre: "llama-bpe")
        XCTAssertEqual(t.encode("abc", addSpecial: false), [try id(t, "abc")])
        let gpt2 = try Self.bpe(pieces: ["ab", "abc"], merges: ["a b"])
        XCTAssertEqual(gpt2.encode("abc"), [try id(gpt2, "ab"), try id(gpt2, "c")])
    }

    func testMergeResultMissingFromTheVocabularyFallsBackToItsBytes() throws {
        // "a b" yields "ab", which is not a token: llama.cpp looks its characters up one byte at a time.
        let t = try Self.bpe(pieces: [], merges: ["a b"])
        XCTAssertEqual(t.encode("ab"), [try id(t, "a"), try id(t, "b")])
    }

    func testUserDefinedTokensAreSplitOutEvenWithoutParsingSpecials() throws {
        let t = try Self.bpe(pieces: ["<x>", "<ctl>"], merges: [], types: [4, 3])
        let user = try id(t, "<x>"), control = try id(t, "<ctl>")
        XCTAssertEqual(t.encode("a<x>b", parseSpecial: false), [try id(t, "a"), user, try id(t, "b")])
        XCTAssertFalse(t.encode("a<ctl>b", parseSpecial: false).contains(control))
        XCTAssertEqual(t.encode("a<ctl>b", parseSpecial: true), [try id(t, "a"), control, try id(t, "b")])
    }

    func testLongerSpecialTokensAreMatchedFirst() throws {
        let t = try Self.bpe(pieces: ["<a>", "<a><b>"], merges: [], types: [3, 3])
        XCTAssertEqual(t.encode("<a><b><a>"), [try id(t, "<a><b>"), try id(t, "<a>")])
    }

    func testPhi3SpecialTokensSwallowTheWhitespaceAfterThem() throws {
        // llama.cpp marks Phi-3's special tokens right-stripping (by general.name), except <s> and friends.
        let t = try Self.bpe(pieces: ["<|end|>", "<s>"], merges: [], types: [3, 3], name: "Phi3 mini")
        let end = try id(t, "<|end|>"), bos = try id(t, "<s>"), x = try id(t, "x"), space = try id(t, "Ġ")
        XCTAssertEqual(t.encode("x<|end|> \n x"), [x, end, x])
        XCTAssertEqual(t.encode("x<s> x"), [x, bos, space, x])
    }

    /// A SentencePiece vocabulary: <unk>, <s>, </s>, the 256 byte tokens, then `pieces` with `scores`.
    static func spm(_ pieces: [(String, Float)]) throws -> Tokenizer {
        var tokens = ["<unk>", "<s>", "</s>"]
        var types = [2, 3, 3]
        for byte in 0..<256 {
            tokens.append(String(format: "<0x%02X>", byte))
            types.append(6)
        }
        tokens += pieces.map(\.0)
        types += pieces.map { _ in 1 }
        let scores = [Float](repeating: 0, count: 259) + pieces.map(\.1)
        return try Tokenizer(vocabulary: Vocabulary(metadata: VocabularyMetadata(
            model: "llama", tokens: tokens, scores: scores, tokenTypes: types)))
    }

    func testSentencePieceMergesTheHighestScoringPairFirst() throws {
        let pieces: [(String, Float)] = [("▁", -1), ("a", -1), ("b", -1), ("c", -1), ("ab", -5), ("bc", -2),
                                         ("▁a", -3)]
        let t = try Self.spm(pieces)
        // "▁abc": bc (-2) beats ▁a (-3) beats ab (-5).
        XCTAssertEqual(t.encode("abc", addSpecial: false), [try id(t, "▁a"), try id(t, "bc")])
        XCTAssertEqual(t.encode("abc"), [1, try id(t, "▁a"), try id(t, "bc")])
    }

    func testSentencePieceFallsBackToByteTokens() throws {
        let t = try Self.spm([("▁", -1), ("a", -1)])
        XCTAssertEqual(t.encode("aé", addSpecial: false),
                       [try id(t, "▁"), try id(t, "a"), try id(t, "<0xC3>"), try id(t, "<0xA9>")])
        XCTAssertEqual(t.decode(t.encode("aé", addSpecial: false)), "aé")
        // As llama_detokenize: only the first piece loses its space, and a leading BOS is that first piece.
        XCTAssertEqual(t.decode(t.encode("aé")), " aé")
    }

    func testSentencePiecePrefixesASpaceAfterEachSpecialToken() throws {
        let t = try Self.spm([("▁", -1), ("a", -1), ("▁a", -0.5)])
        XCTAssertEqual(t.encode("a</s>a", addSpecial: false), [try id(t, "▁a"), 2, try id(t, "▁a")])
    }

    func testDecodingCleansSpacesBeforePunctuationWhenTheVocabularyAsks() throws {
        // gpt-2 vocabularies keep llama.cpp's clean_up_tokenization_spaces; smollm's do not.
        let gpt2 = try Self.bpe(pieces: [], merges: [])
        XCTAssertTrue(gpt2.vocabulary.cleanSpaces)
        XCTAssertEqual(gpt2.decode(gpt2.encode("Hi , there ' s a ' quote ' ' here !")),
                       "Hi, there's a'quote'' here!")
        let smollm = try Self.bpe(pieces: [], merges: [], pre: "smollm")
        XCTAssertEqual(smollm.decode(smollm.encode("Hi , there !")), "Hi , there !")
    }
}
