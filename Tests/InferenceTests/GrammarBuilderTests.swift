// Grammars made in code: the same compiled form as GBNF, for callers that assemble rules (tool wrappers).
import Inference
import XCTest

final class GrammarBuilderTests: XCTestCase {
    func testBuilderRulesCompileLikeGBNF() throws {
        var b = GrammarBuilder()
        b.define("root", .sequence([.literal("<call>"), .rule("word"), .zeroOrMore(.sequence([.literal(","), .rule("word")])),
                                    .literal("</call>")]))
        b.define("word", .oneOrMore(.characterClass([0x61...0x7A], negated: false)))
        let g = try b.build()
        XCTAssertTrue(g.matches("<call>ab,c</call>"))
        XCTAssertFalse(g.matches("<call>ab,</call>"))
        let gbnf = try Grammar(gbnf: #"root ::= "<call>" word ("," word)* "</call>"\#nword ::= [a-z]+"#)
        for text in ["<call>x</call>", "<call>x,yz</call>", "<call></call>", "<call>X</call>"] {
            XCTAssertEqual(g.matches(text), gbnf.matches(text), text)
        }
    }

    func testGrammarsCompareByStructure() throws {
        XCTAssertEqual(try Grammar(gbnf: #"root ::= "a" [0-9]*"#), try Grammar(gbnf: #"root ::= "a" [0-9]*"#))
        XCTAssertNotEqual(try Grammar(gbnf: #"root ::= "a" [0-9]*"#), try Grammar(gbnf: #"root ::= "a" [0-8]*"#))
    }

    func testUniqueNamesAvoidExistingRules() {
        var b = GrammarBuilder()
        b.define("item", .literal("x"))
        XCTAssertEqual(b.uniqueName("item"), "item-1")
        XCTAssertEqual(b.uniqueName("a b/c"), "a-b-c")
    }

    func testUndefinedRuleFromBuilderHasNoLocation() {
        var b = GrammarBuilder()
        b.define("root", .rule("missing"))
        XCTAssertThrowsError(try b.build()) { error in
            XCTAssertEqual("\(error)", "rule 'missing' is used but never defined; add a line 'missing ::= …'")
        }
    }

    func testRepetitionBoundsAreChecked() {
        var b = GrammarBuilder()
        b.define("root", .repetition(.literal("a"), min: 0, max: 200_000))
        XCTAssertThrowsError(try b.build()) { error in
            XCTAssertEqual("\(error)", "repetition count 200000 in rule 'root' is out of range: counts go up to "
                           + "100000 and a maximum may not be below its minimum")
        }
    }
}
