// Fuzz target: GBNF grammars. A grammar compiles (and then matches probe texts without hanging), or is refused
// with a GrammarError naming the line and column or the rule.
import FuzzSupport
import Inference

let probes = ["", "a", "aeee", #"{"x": [1, true, null]}"#, String(repeating: "ab", count: 200)]

runFuzzer { bytes in
    do throws(GrammarError) {
        let grammar = try Grammar(gbnf: String(fuzzInput: bytes))
        for probe in probes { _ = grammar.matches(probe) }
    } catch {
        switch error {
        case .syntax(let line, let column, _), .duplicateRule(_, let line, let column):
            if line < 1 || column < 1 { fuzzFailure("syntax error without a place: \(error)") }
        case .undefinedRule(let rule, _, _), .missingRoot(let rule), .leftRecursion(let rule),
             .repetitionTooLarge(let rule, _), .grammarTooLarge(let rule, _):
            if rule.isEmpty { fuzzFailure("error without a rule: \(error)") }
        default:
            fuzzFailure("unexpected refusal: \(error)")
        }
    }
}
