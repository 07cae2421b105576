// The fast token mask (trie walk + per-frame cache + re-walk of tokens that leave a rule) must equal the brute
// force answer — try every token on a copy of the matcher — at every step of long random walks.
import Foundation
import Inference
import TestSupport
import XCTest

final class GrammarMaskTests: XCTestCase {
    /// A small vocabulary with JSON punctuation fused to text, digits, spaces and split UTF-8, as BPE makes.
    private static let pieces: [[UInt8]] = {
        var words = ["{", "}", "[", "]", "\"", ":", ",", " ", "\":", "\",", "\"}", "\"},", "}}", "{\"", " \"",
                     "\": \"", "\": ", ", \"", "name", "read", "_file", "calc", "ulator", "path", "arguments",
                     "expression", "precision", "max", "_lines", "null", "true", "false", "nu", "ll", "0", "1", "12",
                     "7", "-", "99", "100", "1000", ".", "e", "E", "+", "é", "\\", "\\n", "\\\"", "\\u00", "e9",
                     "a", "b", "ab", "abc", "x", "qq", " a", "a b", "\n", "  ", "read_file", "\"read_file\"",
                     "calculator\"", "{\"name\": \"", "\", \"arguments\": {", "/tmp", ".txt", "2+2", "\u{1F600}",
                     "日本", "ひ", "!", "'", "\"a\"", "\"\"", "\"x\":", "]]", "[[", "[1", ",\"", "}\n", " }"]
        var out = words.map { Array($0.utf8) }
        out += [[0xC3], [0xA9], [0xF0, 0x9F], [0x98, 0x80], [0xE6], [0x97, 0xA5]]
        var random = SeededBytes(seed: 7)
        let alphabet = Array("{}[]\":, abnul0129.-\\é".utf8)
        for _ in 0..<150 {
            let n = 1 + Int(random.next() % 4)
            out.append((0..<n).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        out.append([])  // an empty piece, never allowed
        out.append(Array("<eos>".utf8))
        return out
    }()

    private var vocabulary: GrammarVocabulary {
        GrammarVocabulary(pieces: Self.pieces, endOfGeneration: [TokenID(Self.pieces.count - 1)])
    }

    private func bruteForce(_ m: GrammarMatcher) -> [TokenID] {
        (0..<Self.pieces.count).compactMap { t in
            var copy = m
            return copy.accept(TokenID(t)) ? TokenID(t) : nil
        }
    }

    /// Walks `steps` random allowed tokens, comparing masks at each step; returns how many steps ran.
    @discardableResult
    private func compareAlongRandomWalk(_ grammar: Grammar, seed: UInt64, steps: Int,
                                        file: StaticString = #filePath, line: UInt = #line) -> Int {
        var m = GrammarMatcher(grammar: grammar, vocabulary: vocabulary)
        var random = SeededBytes(seed: seed)
        var mask = TokenMask(count: 0)
        for step in 0..<steps {
            m.allowedTokens(into: &mask)
            let expected = bruteForce(m)
            XCTAssertEqual(mask.tokens, expected, "step \(step)", file: file, line: line)
            let choices = expected.filter { !m.vocabulary.isEndOfGeneration($0) }
            if choices.isEmpty { return step }
            XCTAssertTrue(m.accept(choices[Int(random.next() % UInt64(choices.count))]))
        }
        return steps
    }

    private static func fixture(_ name: String) throws -> String {
        try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/grammar/\(name)"), encoding: .utf8)
    }

    func testMaskEqualsBruteForceOnToolCallSchema() throws {
        let g = try JSONSchemaGrammar.grammar(schemaJSON: try Self.fixture("tool-call.schema.json"))
        for seed: UInt64 in 1...6 { compareAlongRandomWalk(g, seed: seed, steps: 60) }
    }

    func testMaskEqualsBruteForceOnJSONGrammar() throws {
        let g = try Grammar(gbnf: try Self.fixture("json.gbnf"))
        for seed: UInt64 in 1...6 { compareAlongRandomWalk(g, seed: seed, steps: 60) }
    }

    func testMaskEqualsBruteForceNearRepetitionBounds() throws {
        // Counters near the bound are cached exactly; far from it they share one entry.
        let g = try Grammar(gbnf: #"root ::= "\"" [a-z ]{2,30} "\"" ("," [a-z]{0,20})?"#)
        for seed: UInt64 in 1...6 { compareAlongRandomWalk(g, seed: seed, steps: 45) }
    }

    func testMaskEqualsBruteForceWithRightRecursionAndNullableRules() throws {
        let g = try Grammar(gbnf: """
            root ::= item ("," item)* end
            item ::= "a" rest | "[" root "]" | ""
            rest ::= "b" rest | ""
            end ::= "" | "!"
            """)
        for seed: UInt64 in 1...6 { compareAlongRandomWalk(g, seed: seed, steps: 40) }
    }
}

/// The shared seeded generator (SplitMix64) for test data.
typealias SeededBytes = MutationRandom
