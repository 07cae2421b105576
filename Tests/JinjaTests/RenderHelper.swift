// Shared helper for the Jinja unit tests: parse a template and render it with a JSON context.
import Foundation
import Jinja

/// Renders `source` with the variables of the JSON object `context`, at a fixed instant for `strftime_now`.
func render(_ source: String, context: String = "{}") throws -> String {
    guard case .object(let object) = try JinjaValue(json: context) else { return "context is not an object" }
    var variables: [String: JinjaValue] = [:]
    for (key, value) in object.pairs { variables[key] = value }
    return try Template(source, name: "test.jinja").render(variables, now: fixedNow)
}

/// 2024-11-19 07:06:40 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_732_000_000)
