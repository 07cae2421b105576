// Constrained decoding on the real default model: the 135M model, forced by a tool-call schema, emits a call to
// an existing tool with arguments of the right types; and the constraint's cost per token on its 49,152-token
// vocabulary is measured.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Inference
import TestSupport
import XCTest

final class GrammarModelTests: XCTestCase {
    /// Two tools; strings are kept short (below the longest token, 81 bytes, so the near-bound path of the
    /// constraint is measured too) and a greedy run ends within a few dozen tokens.
    static let toolSchema = """
        {"anyOf": [
          {"type": "object", "properties": {
             "name": {"const": "read_file"},
             "arguments": {"type": "object", "properties": {
                "path": {"type": "string", "minLength": 1, "maxLength": 32},
                "max_lines": {"type": "integer", "minimum": 1, "maximum": 1000}},
              "required": ["path"]}},
           "required": ["name", "arguments"]},
          {"type": "object", "properties": {
             "name": {"const": "calculator"},
             "arguments": {"type": "object", "properties": {
                "expression": {"type": "string", "minLength": 1, "maxLength": 32}},
              "required": ["expression"]}},
           "required": ["name", "arguments"]}
        ]}
        """

    private static func chatPrompt(_ user: String) -> String {
        "<|im_start|>system\nYou call tools. Tools: read_file(path, max_lines), calculator(expression). "
            + "Answer with one JSON tool call.<|im_end|>\n<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n"
    }

    /// Greedy decoding under the constraint, one full forward pass per step through the public `logits` API.
    private func constrainedGreedy(_ engine: InferenceEngine, prompt: String, grammar: Grammar,
                                   maxTokens: Int) async throws -> (text: String, complete: Bool) {
        var tokens = engine.tokenizer.encode(prompt, addSpecial: false, parseSpecial: true)
        var constraint = GrammarConstraint(grammar: grammar, vocabulary: GrammarVocabulary(tokenizer: engine.tokenizer))
        var output: [UInt8] = []
        for _ in 0..<maxTokens {
            var logits = try await engine.logits(tokens: tokens)
            logits.withUnsafeMutableBufferPointer { constraint.apply(to: $0.baseAddress!, count: $0.count) }
            let next = TokenID(logits.indices.max { logits[$0] < logits[$1] } ?? 0)
            if engine.tokenizer.isEndOfGeneration(next) { break }
            constraint.accept(next)
            output += engine.tokenizer.pieceBytes(next)
            tokens.append(next)
            if constraint.isComplete { break }
        }
        XCTAssertEqual(constraint.rejectedTokens, 0)
        return (String(decoding: output, as: UTF8.self), constraint.canEnd)
    }

    /// Checks a tool call against `toolSchema` with Foundation's JSON parser (an independent reader).
    private func validateToolCall(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let call = try XCTUnwrap(object as? [String: Any], "not an object: \(text)", file: file, line: line)
        XCTAssertEqual(Set(call.keys), ["name", "arguments"], text, file: file, line: line)
        let arguments = try XCTUnwrap(call["arguments"] as? [String: Any], text, file: file, line: line)
        switch call["name"] as? String {
        case "read_file":
            let path = try XCTUnwrap(arguments["path"] as? String, text, file: file, line: line)
            XCTAssertFalse(path.isEmpty, file: file, line: line)
            XCTAssertTrue(Set(arguments.keys).isSubset(of: ["path", "max_lines"]), text, file: file, line: line)
            if let n = arguments["max_lines"] {
                let value = try XCTUnwrap(n as? Int, text, file: file, line: line)
                XCTAssertTrue((1...1000).contains(value), text, file: file, line: line)
            }
        case "calculator":
            XCTAssertNotNil(arguments["expression"] as? String, text, file: file, line: line)
            XCTAssertEqual(Set(arguments.keys), ["expression"], text, file: file, line: line)
        default:
            XCTFail("unknown tool in \(text)", file: file, line: line)
        }
    }

    func testDefaultModelEmitsAValidToolCallUnderTheSchema() async throws {
        let engine = try SharedEngine.defaultModel()
        let grammar = try JSONSchemaGrammar.grammar(schemaJSON: Self.toolSchema)
        // One request: each step recomputes the whole context through the public `logits` API, so it is slow.
        let request = "Show me the first lines of notes.txt"
        let (text, complete) = try await constrainedGreedy(engine, prompt: Self.chatPrompt(request),
                                                           grammar: grammar, maxTokens: 70)
        print("grammar-constrained output for '\(request)': \(text)")
        XCTAssertTrue(complete, "the call was cut off: \(text)")
        try validateToolCall(text)
    }

    func testUnconstrainedDefaultModelDoesNotReliablyEmitToolCalls() async throws {
        // The control for the test above: the same prompt without the grammar is not a valid call, which shows
        // the constraint (not the prompt) makes the output valid.
        let engine = try SharedEngine.defaultModel()
        var tokens = engine.tokenizer.encode(Self.chatPrompt("What is 17 times 23?"), addSpecial: false,
                                             parseSpecial: true)
        var output: [UInt8] = []
        for _ in 0..<24 {
            let logits = try await engine.logits(tokens: tokens)
            let next = TokenID(logits.indices.max { logits[$0] < logits[$1] } ?? 0)
            if engine.tokenizer.isEndOfGeneration(next) { break }
            output += engine.tokenizer.pieceBytes(next)
            tokens.append(next)
        }
        let text = String(decoding: output, as: UTF8.self)
        print("unconstrained output: \(text)")
        let grammar = try JSONSchemaGrammar.grammar(schemaJSON: Self.toolSchema)
        XCTAssertFalse(grammar.matches(text))
    }

    func testConstraintCostPerTokenOnTheDefaultVocabulary() throws {
        let engine = try SharedEngine.defaultModel()
        let start = Date()
        let vocabulary = GrammarVocabulary(tokenizer: engine.tokenizer)
        let buildSeconds = Date().timeIntervalSince(start)
        XCTAssertEqual(vocabulary.count, 49_152)
        let grammar = try JSONSchemaGrammar.grammar(schemaJSON: Self.toolSchema)
        let document = #"{"name": "read_file", "arguments": {"path": "Sources/Inference/Grammar.swift", "#
            + #""max_lines": 120}}"#
        let ids = engine.tokenizer.encode(document, addSpecial: false, parseSpecial: false)
        // Thread CPU time, not wall time: the test machine is shared, and preemption is not the constraint's cost.
        func cpuMicros() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) * 1e6 + Double(ts.tv_nsec) / 1e3
        }
        var constraint = GrammarConstraint(grammar: grammar, vocabulary: vocabulary)
        var logits = [Float](repeating: 0, count: vocabulary.count)
        var samples: [Double] = []
        for id in ids {
            for i in logits.indices { logits[i] = 0 }
            let t0 = cpuMicros()
            logits.withUnsafeMutableBufferPointer { constraint.apply(to: $0.baseAddress!, count: $0.count) }
            constraint.accept(id)
            samples.append(cpuMicros() - t0)
            XCTAssertEqual(logits[Int(id)], 0, "token \(id) of a valid document was masked")
        }
        XCTAssertTrue(constraint.isComplete)
        XCTAssertEqual(constraint.rejectedTokens, 0)
        let mean = samples.reduce(0, +) / Double(samples.count)
        let median = samples.sorted()[samples.count / 2]
        print(String(format: "grammar constraint: %.1f µs/token mean (apply + accept, thread CPU time), median %.1f, "
                     + "worst %.0f µs, %d tokens; vocabulary trie built in %.0f ms", mean, median,
                     samples.max() ?? 0, ids.count, buildSeconds * 1000))
        // Speed is reported, not asserted: timings depend on the machine (this print is the benchmark).
    }
}
