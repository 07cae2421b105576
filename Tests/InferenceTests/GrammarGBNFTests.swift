// GBNF text → Grammar: the syntax llama.cpp users already write, and errors that point at line and column.
import Foundation
import Inference
import XCTest

final class GrammarGBNFTests: XCTestCase {
    private func parseError(_ text: String) -> GrammarError? {
        do {
            _ = try Grammar(gbnf: text)
            return nil
        } catch {
            return error
        }
    }

    func testLiteralsSequencesAndAlternatives() throws {
        let g = try Grammar(gbnf: #"root ::= "yes" | "no" " thanks""#)
        XCTAssertTrue(g.matches("yes"))
        XCTAssertTrue(g.matches("no thanks"))
        XCTAssertFalse(g.matches("no"))
        XCTAssertFalse(g.matches("yes thanks"))
    }

    func testCharacterClassesRangesAndNegation() throws {
        let g = try Grammar(gbnf: #"root ::= [a-cX] [^0-9\n]"#)
        XCTAssertTrue(g.matches("bé"))
        XCTAssertTrue(g.matches("X!"))
        XCTAssertFalse(g.matches("d!"))
        XCTAssertFalse(g.matches("a5"))
        XCTAssertFalse(g.matches("a\n"))
    }

    func testClassesMatchWholeMultiByteCharactersOnly() throws {
        let g = try Grammar(gbnf: ##"root ::= [ぁ-ゟ]+ ".""##)
        XCTAssertTrue(g.matches("ひらがな."))
        XCTAssertFalse(g.matches("カ."), "katakana is outside the range")
        // A prefix that stops inside a character is still a valid prefix; a wrong continuation byte is not.
        let hi = Array("ひ".utf8)
        XCTAssertTrue(g.acceptsPrefix(Array(hi.prefix(2))))
        XCTAssertFalse(g.acceptsPrefix([hi[0], 0x41]))
    }

    func testEscapesInLiteralsAndClasses() throws {
        let g = try Grammar(gbnf: #"root ::= "\x41\u00e9\t\"\\" [\[\]\-]"#)
        XCTAssertTrue(g.matches("Aé\t\"\\]"))
        XCTAssertTrue(g.matches("Aé\t\"\\-"))
    }

    func testAnyCharacterAndRepetitionOperators() throws {
        let g = try Grammar(gbnf: #"root ::= "<" . "x"* "y"+ "z"? [0-9]{2} [a-z]{1,3} "!"{2,} ">""#)
        XCTAssertTrue(g.matches("<€y12a!!>"))
        XCTAssertTrue(g.matches("<.xxyyyz99abc!!!!>"))
        XCTAssertFalse(g.matches("<€12a!!>"), "y+ needs one y")
        XCTAssertFalse(g.matches("<€y1a!!>"), "{2} needs two digits")
        XCTAssertFalse(g.matches("<€y12abcd!!>"), "{1,3} allows at most three")
        XCTAssertFalse(g.matches("<€y12a!>"), "{2,} needs two")
    }

    func testLargeBoundedRepetitionCountsExactly() throws {
        let g = try Grammar(gbnf: #"root ::= "(" [a-z]{3,300} ")""#)
        XCTAssertTrue(g.matches("(" + String(repeating: "q", count: 300) + ")"))
        XCTAssertFalse(g.matches("(" + String(repeating: "q", count: 301) + ")"))
        XCTAssertTrue(g.matches("(qqq)"))
        XCTAssertFalse(g.matches("(qq)"))
    }

    func testGroupsCommentsAndRulesSpanningLines() throws {
        let g = try Grammar(gbnf: """
            # a list of numbers
            root ::= (
                num       # the first
                ("," num)*
            )
            num  ::= "0" |
                     [1-9] [0-9]*
            """)
        XCTAssertTrue(g.matches("0,12,305"))
        XCTAssertFalse(g.matches("01"))
    }

    func testRightRecursiveRulesRunInConstantStack() throws {
        let g = try Grammar(gbnf: """
            root ::= "\\"" chars "\\""
            chars ::= [a-z] chars | ""
            """)
        XCTAssertTrue(g.matches("\"" + String(repeating: "a", count: 5000) + "\""))
        XCTAssertFalse(g.matches("\"aB\""))
    }

    func testNestedRecursionBalancesBrackets() throws {
        let g = try Grammar(gbnf: #"root ::= "(" root* ")""#)
        XCTAssertTrue(g.matches("(()(()))"))
        XCTAssertFalse(g.matches("(()"))
        XCTAssertFalse(g.matches("())"))
    }

    func testParsesLlamaCppJSONGrammarFixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/grammar/json.gbnf")
        let g = try Grammar(gbnf: try String(contentsOf: url, encoding: .utf8))
        XCTAssertTrue(g.matches(#"{"a": [1, -2.5e3, "x\u00e9\n", true, null], "b": {}}"#))
        XCTAssertFalse(g.matches(#"{"a": [1, 2,]}"#))
        XCTAssertFalse(g.matches(#"{"a": 01}"#))
    }

    // MARK: - Errors, with their exact text

    func testMissingDefinitionArrowNamesLineAndColumn() {
        XCTAssertEqual(parseError("root ::= a\na = \"x\"")?.description,
                       "grammar line 2, column 3: expected '::=' after rule name 'a'")
    }

    func testUndefinedRuleNamesTheFirstReference() {
        XCTAssertEqual(parseError("root ::= \"x\" item\n")?.description,
                       "grammar line 1, column 14: rule 'item' is used but never defined; add a line 'item ::= …'")
    }

    func testUnclosedLiteralPointsAtItsQuote() {
        XCTAssertEqual(parseError("root ::= \"a\"\nb ::= \"open")?.description,
                       "grammar line 2, column 7: string literal is not closed with '\"'")
    }

    func testUnclosedGroupNamesWhereItWasOpened() {
        XCTAssertEqual(parseError("root ::= (\"a\" | \"b\"\n")?.description,
                       "grammar line 2, column 1: expected ')' to close the '(' at line 1, column 10")
    }

    func testUnknownEscapeIsReported() {
        XCTAssertEqual(parseError(#"root ::= "a\q""#)?.description,
                       #"grammar line 1, column 12: unknown escape '\q'; use \n \r \t \\ \" \[ \] \- \xHH \uHHHH"#)
    }

    func testRepetitionWithNothingBeforeIt() {
        XCTAssertEqual(parseError("root ::= * \"a\"")?.description,
                       "grammar line 1, column 10: '*' must follow something to repeat")
    }

    func testDuplicateRule() {
        XCTAssertEqual(parseError("root ::= \"a\"\nroot ::= \"b\"")?.description,
                       "grammar line 2, column 1: rule 'root' is defined twice; merge the definitions with '|'")
    }

    func testMissingRoot() {
        XCTAssertEqual(parseError("start ::= \"a\"")?.description,
                       "the grammar has no rule 'root': it is where matching starts, so define it")
    }

    func testLeftRecursionIsRejected() {
        XCTAssertEqual(parseError("root ::= expr\nexpr ::= expr \"+\" \"1\" | \"1\"")?.description,
                       "rule 'expr' can reach itself without consuming any character (left recursion); "
                       + "rewrite it with repetition, e.g. 'list ::= item (\",\" item)*'")
    }

    func testTokenReferencesAreRejectedClearly() {
        XCTAssertEqual(parseError("root ::= <think> \"a\"")?.description,
                       "grammar line 1, column 10: token references ('<…>', '!<…>') are not supported; "
                       + "write the text instead")
    }
}
