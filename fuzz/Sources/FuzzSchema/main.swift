// Fuzz target: JSON schema → grammar. A schema compiles (and the grammar then matches probe texts without
// hanging), or is refused with a GrammarError naming the line and column, the schema path or the rule.
import FuzzSupport
import Inference

let probes = [#"{"tool": "read_file", "arguments": {"path": "a"}}"#, #"{"a": [1, 2], "b": null}"#, "true", "\"x\"",
              String(repeating: "[", count: 300)]

runFuzzer { bytes in
    do throws(GrammarError) {
        let grammar = try JSONSchemaGrammar.grammar(schemaJSON: String(fuzzInput: bytes))
        for probe in probes { _ = grammar.matches(probe) }
    } catch {
        switch error {
        case .invalidJSON(let line, let column, _) where line >= 1 && column >= 1: return
        case .unsupportedSchemaKeyword(_, let path), .invalidSchema(let path, _), .unresolvedReference(_, let path):
            if !path.hasPrefix("$") { fuzzFailure("schema error without a path: \(error)") }
        case .leftRecursion(let rule), .repetitionTooLarge(let rule, _), .grammarTooLarge(let rule, _), .missingRoot(let rule),
             .undefinedRule(let rule, _, _):
            if rule.isEmpty { fuzzFailure("grammar error without a rule: \(error)") }
        default:
            fuzzFailure("unexpected refusal: \(error)")
        }
    }
}
