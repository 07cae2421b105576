// Lenient reading of model replies when no grammar constrained them: small models wrap JSON in prose or code
// fences, stop before the last brace, or use near-miss keys. What can be read safely is read; the rest is
// reported back to the model as a malformed call.

/// Reads tool calls and answers out of raw model text.
enum ToolCallParser {
    /// Reads a reply of the JSON protocol.
    static func parseJSONReply(_ reply: String) -> ParsedReply {
        let text = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = Array(text.utf8)
        // A bare array of calls, [{"tool": …}, {"tool": …}], as models that saw OpenAI's format write them.
        if let open = bytes.firstIndex(of: UInt8(ascii: "[")),
           open < (bytes.firstIndex(of: UInt8(ascii: "{")) ?? bytes.count) {
            var reader = JSONReader(bytes: bytes, from: open)
            if case .array(let items)? = try? reader.readValue(), let calls = interpretCalls(items) {
                return calls
            }
        }
        guard let start = bytes.firstIndex(of: UInt8(ascii: "{")) else {
            // No JSON at all: the model answered in prose. Take it as the answer rather than loop on format.
            return text.isEmpty ? .malformed(problem: "the reply is empty") : .answer(text)
        }
        let object: JSONObject
        switch readObject(bytes, from: start) {
        case .success(let o): object = o
        case .failure(let error): return .malformed(problem: error.description)
        }
        return interpret(object)
    }

    /// Reads a Qwen2.5 reply: `<tool_call>{"name": …, "arguments": …}</tool_call>` (one or several), or else the
    /// answer.
    static func parseQwenReply(_ reply: String) -> ParsedReply {
        guard let open = reply.range(of: "<tool_call>") else {
            return .answer(reply.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let blocks = reply.components(separatedBy: "<tool_call>").dropFirst()
        if blocks.count > 1 {
            var calls: [ToolCallRequest] = []
            for block in blocks {
                switch parseQwenBlock(Substring(block)) {
                case .toolCall(let name, let arguments): calls.append(ToolCallRequest(name: name, arguments: arguments))
                case .malformed(let problem): return .malformed(problem: problem)
                default: return .malformed(problem: "a <tool_call> block holds no call")
                }
            }
            return .toolCalls(calls)
        }
        return parseQwenBlock(reply[open.upperBound...])
    }

    /// One `<tool_call>` block's content (up to its closing tag, if any).
    private static func parseQwenBlock(_ rest: Substring) -> ParsedReply {
        let inner = rest.range(of: "</tool_call>").map { rest[..<$0.lowerBound] } ?? rest
        let bytes = Array(inner.utf8)
        guard let start = bytes.firstIndex(of: UInt8(ascii: "{")) else {
            return .malformed(problem: "<tool_call> holds no JSON object")
        }
        switch readObject(bytes, from: start) {
        case .success(let object): return interpret(object)
        case .failure(let error): return .malformed(problem: error.description)
        }
    }

    /// Several calls (`calls` or `tool_calls`, an array of call objects), a call (`tool` or `name` plus
    /// `arguments`) or an answer (`answer`).
    static func interpret(_ object: JSONObject) -> ParsedReply {
        if case .array(let items)? = object["calls"] ?? object["tool_calls"] {
            return interpretCalls(items) ?? .malformed(problem: "'calls' must hold objects with 'tool' and 'arguments'")
        }
        return interpretOne(object)
    }

    /// An array of call objects as one call or several; nil when an item is not a call.
    static func interpretCalls(_ items: [JSON]) -> ParsedReply? {
        var calls: [ToolCallRequest] = []
        for item in items {
            guard case .object(let o) = item, case .toolCall(let name, let arguments) = interpretOne(o) else { return nil }
            calls.append(ToolCallRequest(name: name, arguments: arguments))
        }
        guard let first = calls.first else { return nil }
        return calls.count == 1 ? .toolCall(name: first.name, arguments: first.arguments) : .toolCalls(calls)
    }

    /// One call object, or an answer.
    private static func interpretOne(_ object: JSONObject) -> ParsedReply {
        if let name = (object["tool"] ?? object["name"] ?? object["function"])?.stringValue {
            let arguments = object["arguments"] ?? object["args"] ?? object["parameters"] ?? object["input"]
            switch arguments {
            case .object(let o)?: return .toolCall(name: name, arguments: o)
            case nil, .null?:
                // Arguments written beside the name: {"tool": "calculator", "expression": "1+1"}.
                var rest = object
                for key in ["tool", "name", "function"] { rest[key] = nil }
                return .toolCall(name: name, arguments: rest)
            case .string(let s)?:
                // Arguments as a JSON string, as some chat APIs send them.
                if case .object(let o)? = try? JSON(parsing: s) { return .toolCall(name: name, arguments: o) }
                return .malformed(problem: "'arguments' must be an object")
            default:
                return .malformed(problem: "'arguments' must be an object")
            }
        }
        if let answer = object["answer"] ?? object["final_answer"] ?? object["response"] {
            return .answer(answer.stringValue ?? answer.text)
        }
        return .malformed(problem: "the object has neither 'tool' nor 'answer'")
    }

    /// The JSON object starting at `start`; a reply cut off at the token limit is closed (missing quotes and
    /// brackets added) before giving up.
    static func readObject(_ bytes: [UInt8], from start: Int) -> Result<JSONObject, JSONParseError> {
        var reader = JSONReader(bytes: bytes, from: start)
        do {
            if case .object(let object) = try reader.readValue() { return .success(object) }
        } catch {
            if let repaired = closeTruncated(Array(bytes[start...])) {
                var retry = JSONReader(bytes: repaired, from: 0)
                if case .object(let object)? = try? retry.readValue() { return .success(object) }
            }
            return .failure(error)
        }
        return .failure(JSONParseError(offset: start, problem: "expected a JSON object"))
    }

    /// `bytes` with the string and brackets left open at its end closed, or nil when nothing is open.
    static func closeTruncated(_ bytes: [UInt8]) -> [UInt8]? {
        var stack: [UInt8] = []
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
            case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard stack.popLast() == byte else { return nil }
                if stack.isEmpty { return nil }  // complete: the error is elsewhere
            default: break
            }
        }
        guard inString || !stack.isEmpty else { return nil }
        var result = bytes
        if escaped { result.removeLast() }
        if inString { result.append(UInt8(ascii: "\"")) }
        result.append(contentsOf: stack.reversed())
        return result
    }
}
