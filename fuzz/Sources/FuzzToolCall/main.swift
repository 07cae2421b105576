// Fuzz target: tool calls read from model output, in both formats, and the strict JSON reader under them.
// Every reply is an answer, a call or a malformed call with a problem; JSON errors name a byte inside the text;
// what JSON reads prints back to the same value.
import Agents
import FuzzSupport

runFuzzer { bytes in
    let text = String(fuzzInput: bytes)
    for format in [ToolCallFormat.json, .qwen] {
        if case .malformed(let problem) = format.parse(text), problem.isEmpty { fuzzFailure("empty problem") }
    }
    do throws(JSONParseError) {
        let value = try JSON(parsing: text)
        guard (try? JSON(parsing: value.text)) == value else { fuzzFailure("round trip changed \(value.text)") }
    } catch {
        if error.offset < 0 || error.offset > text.utf8.count { fuzzFailure("offset outside the text: \(error)") }
    }
}
