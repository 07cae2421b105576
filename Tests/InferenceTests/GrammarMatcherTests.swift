// The recognizer advancing token by token, ending, and the logit hook built on it.
import Inference
import XCTest

final class GrammarMatcherTests: XCTestCase {
    private func vocabulary(_ pieces: [String], end: [TokenID] = []) -> GrammarVocabulary {
        GrammarVocabulary(pieces: pieces.map { Array($0.utf8) }, endOfGeneration: end)
    }

    func testAcceptAdvancesTokenByToken() throws {
        let g = try Grammar(gbnf: #"root ::= "ab" [0-9]+ "!""#)
        var m = GrammarMatcher(grammar: g, vocabulary: vocabulary(["a", "b1", "23", "!", "x"]))
        XCTAssertTrue(m.accept(0))
        XCTAssertTrue(m.accept(1))
        XCTAssertTrue(m.accept(2))
        XCTAssertFalse(m.canEnd)
        XCTAssertTrue(m.accept(3))
        XCTAssertTrue(m.canEnd)
    }

    func testRejectedTokenLeavesTheStateUnchanged() throws {
        let g = try Grammar(gbnf: #"root ::= "abc""#)
        var m = GrammarMatcher(grammar: g, vocabulary: vocabulary(["a", "bx", "bc"]))
        XCTAssertTrue(m.accept(0))
        XCTAssertFalse(m.accept(1), "'b' fits but 'x' does not: the whole token is refused")
        XCTAssertTrue(m.accept(2), "the state is still after 'a'")
        XCTAssertTrue(m.isComplete)
    }

    func testIsCompleteOnlyWhenNothingCanFollow() throws {
        let g = try Grammar(gbnf: #"root ::= "a" "b"?"#)
        var m = GrammarMatcher(grammar: g, vocabulary: vocabulary([]))
        XCTAssertTrue(m.accept(bytes: Array("a".utf8)))
        XCTAssertTrue(m.canEnd)
        XCTAssertFalse(m.isComplete, "'b' may still follow")
        XCTAssertTrue(m.accept(bytes: Array("b".utf8)))
        XCTAssertTrue(m.isComplete)
    }

    func testEndOfGenerationIsAllowedExactlyWhenTheGrammarCanEnd() throws {
        let g = try Grammar(gbnf: #"root ::= "a"+"#)
        var m = GrammarMatcher(grammar: g, vocabulary: vocabulary(["a", "<end>"], end: [1]))
        var mask = TokenMask(count: 0)
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [0])
        XCTAssertFalse(m.accept(1))
        XCTAssertTrue(m.accept(0))
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [0, 1])
        XCTAssertTrue(m.accept(1))
    }

    func testTokensWithEmptyPiecesAreNeverAllowed() throws {
        let g = try Grammar(gbnf: #"root ::= "a"*"#)
        var m = GrammarMatcher(grammar: g, vocabulary: vocabulary(["", "a"]))
        var mask = TokenMask(count: 0)
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [1])
        XCTAssertFalse(m.accept(0))
    }

    func testTokensThatSplitACharacterAreFollowed() throws {
        let g = try Grammar(gbnf: #"root ::= [é-ê] "!""#)
        let pieces: [[UInt8]] = [[0xC3], [0xA9], [0xAA], [0xAB], Array("!".utf8), Array("é!".utf8)]
        var m = GrammarMatcher(grammar: g, vocabulary: GrammarVocabulary(pieces: pieces))
        var mask = TokenMask(count: 0)
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [0, 5], "the lead byte alone, or the whole 'é!'")
        XCTAssertTrue(m.accept(0))
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [1, 2], "é (A9) and ê (AA), not AB")
    }

    func testConstraintMasksLogitsAndPaddedRows() throws {
        let g = try Grammar(gbnf: #"root ::= "b""#)
        var c = GrammarConstraint(grammar: g, vocabulary: vocabulary(["a", "b", "c"]))
        var logits: [Float] = [1, 2, 3, 4, 5]
        logits.withUnsafeMutableBufferPointer { c.apply(to: $0.baseAddress!, count: $0.count) }
        XCTAssertEqual(logits, [-.infinity, 2, -.infinity, -.infinity, -.infinity])
        c.accept(1)
        XCTAssertTrue(c.isComplete)
        XCTAssertEqual(c.rejectedTokens, 0)
    }

    func testConstraintLeavesEndOfGenerationOpenAtADeadEnd() throws {
        let g = try Grammar(gbnf: #"root ::= "ab""#)
        var c = GrammarConstraint(grammar: g, vocabulary: vocabulary(["a", "c", "<eos>"], end: [2]))
        c.accept(0)
        var logits: [Float] = [0, 0, 0]
        logits.withUnsafeMutableBufferPointer { c.apply(to: $0.baseAddress!, count: 3) }
        XCTAssertEqual(logits, [-.infinity, -.infinity, 0], "no token continues 'a': only stopping is left")
    }

    func testLongOutputsKeepWorkingPastTheStateTableLimit() throws {
        // Every position of a counted repetition is a new state; the table is rebuilt when it grows too large.
        let g = try Grammar(gbnf: #"root ::= [a-z]{0,30000} "!""#)
        var m = GrammarMatcher(grammar: g, vocabulary: vocabulary(["ab", "!", "b!"]))
        for _ in 0..<14_999 { XCTAssertTrue(m.accept(0)) }
        var mask = TokenMask(count: 0)
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [0, 1, 2])
        XCTAssertTrue(m.accept(0), "29,998 + 2 = 30,000 letters")
        m.allowedTokens(into: &mask)
        XCTAssertEqual(mask.tokens, [1], "the bound is reached: only '!' fits")
        XCTAssertTrue(m.accept(1))
        XCTAssertTrue(m.isComplete)
    }

    func testAmbiguousGrammarsStayPolynomial() throws {
        // Every split of the a's is a different parse; deduplicated stacks keep this linear.
        let g = try Grammar(gbnf: """
            root ::= part+
            part ::= "a" | "aa" | "aaa" | "a"+
            """)
        XCTAssertTrue(g.matches(String(repeating: "a", count: 3000)))
    }
}
