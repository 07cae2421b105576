// Fuzz target: the Jinja lexer, parser and interpreter. The input is a chat template, rendered with a typical
// chat context; it renders, or is refused with a TemplateError naming the template, line and column.
import Foundation
import FuzzSupport
import Jinja

let context: [String: JinjaValue] = {
    let json = """
    {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
      {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "f", "arguments": {"x": 1}}}]},
      {"role": "user", "content": "and now?"}],
     "tools": [{"type": "function", "function": {"name": "calc", "parameters": {"type": "object"}}}],
     "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>"}
    """
    guard case .object(let object)? = try? JinjaValue(json: json) else { return [:] }
    var variables: [String: JinjaValue] = [:]
    for (key, value) in object.pairs { variables[key] = value }
    return variables
}()
let now = Date(timeIntervalSince1970: 1_732_000_000)

runFuzzer { bytes in
    do throws(TemplateError) {
        let template = try Template(String(fuzzInput: bytes), name: "fuzz.jinja")
        _ = try template.render(context, now: now)
    } catch {
        if case .raised = error { return }
        guard let location = error.location, location.line >= 1, location.column >= 1 else {
            fuzzFailure("error without a location: \(error)")
        }
    }
}
