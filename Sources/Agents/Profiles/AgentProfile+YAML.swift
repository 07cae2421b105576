// Reading an agent profile from YAML by walking Yams' node tree, so every error names the file, line and key.
import Foundation
import Ledger
internal import Yams

extension AgentProfile {
    /// The keys a profile may have, in the order the documentation lists them.
    static let topKeys = ["name", "description", "model", "prompt", "system", "tools", "budget", "generation",
                          "tool_format", "constrained", "tool_first", "shell", "result_limit", "max_parallel",
                          "parallel_calls"]
    static let budgetKeys = ["max_steps", "max_tokens", "max_cost_usd", "max_seconds", "max_depth"]
    static let generationKeys = ["max_tokens", "temperature", "repeat_penalty"]
    static let shellKeys = ["allow", "timeout_seconds"]

    /// Reads the profile at `url`. `prompt: NAME` is looked up as a file in `promptDirectories` (trying NAME,
    /// then NAME.md); a profile without `name` is named after its file.
    public static func load(from url: URL, promptDirectories: [URL]) throws(AgentsError) -> AgentProfile {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AgentsError.profileUnreadable(file: url.path, reason: error.localizedDescription)
        }
        let fallbackName = url.deletingPathExtension().lastPathComponent
        return try parse(yaml: text, file: url.path, defaultName: fallbackName, promptDirectories: promptDirectories)
    }

    /// Parses profile YAML; `file` is the name errors use.
    public static func parse(yaml text: String, file: String, defaultName: String,
                             promptDirectories: [URL]) throws(AgentsError) -> AgentProfile {
        if let (line, column) = YAMLNesting.firstTooDeep(text) {
            throw AgentsError.profileSyntax(file: file, line: line, column: column,
                                            problem: "nested too deeply (profiles need a few levels)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw AgentsError.profileMissingKey(file: file, line: 1, key: "prompt")
            }
            root = node
        } catch let error as AgentsError {
            throw error
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw AgentsError.profileSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
        let reader = ProfileNodeReader(file: file)
        let top = try reader.mapping(root, key: "(top level)", allowed: topKeys)

        var profile = AgentProfile(name: defaultName, systemPrompt: "", file: file)
        if let node = top["name"] {
            let name = try reader.identifier(node, key: "name")
            guard name == defaultName else {
                throw AgentsError.profileInvalidValue(file: file, line: reader.line(node), key: "name",
                                                      expected: "the file's name '\(defaultName)'", found: "'\(name)'")
            }
        }
        if let node = top["description"] { profile.summary = try reader.string(node, key: "description") }
        if let node = top["model"] {
            let model = try reader.string(node, key: "model")
            profile.model = model == "default" ? nil : model
        }
        switch (top["prompt"], top["system"]) {
        case (let p?, nil):
            let name = try reader.string(p, key: "prompt")
            profile.systemPrompt = try loadPrompt(name, file: file, line: reader.line(p), directories: promptDirectories)
        case (nil, let s?):
            profile.systemPrompt = try reader.string(s, key: "system")
        case (let p?, _?):
            throw AgentsError.profileInvalidValue(file: file, line: reader.line(p), key: "prompt",
                                                  expected: "given alone (not together with 'system')",
                                                  found: "both 'prompt' and 'system'")
        case (nil, nil):
            throw AgentsError.profileMissingKey(file: file, line: reader.line(root), key: "prompt")
        }
        if let node = top["tools"] {
            profile.tools = try reader.stringList(node, key: "tools")
            for (index, tool) in profile.tools.enumerated() {
                guard builtinToolNames.contains(tool) || tool.hasPrefix("ask_") || tool == "delegate"
                        || (tool.hasPrefix("mcp:") && tool.count > 4) else {
                    throw AgentsError.profileInvalidValue(
                        file: file, line: reader.line(node.sequence?[index] ?? node), key: "tools",
                        expected: "one of " + builtinToolNames.joined(separator: ", ")
                            + ", delegate, ask_PROFILE or mcp:SERVER",
                        found: "'\(tool)'")
                }
            }
        }
        if let node = top["budget"] {
            let budget = try reader.mapping(node, key: "budget", allowed: budgetKeys)
            var b = Budget()
            if let n = budget["max_steps"] { b.maxSteps = try reader.int(n, key: "budget.max_steps", minimum: 1) }
            if let n = budget["max_tokens"] { b.maxTokens = try reader.int(n, key: "budget.max_tokens", minimum: 1) }
            if let n = budget["max_cost_usd"] {
                b.maxCost = Cost(dollars: try reader.number(n, key: "budget.max_cost_usd", minimum: 0))
            }
            if let n = budget["max_seconds"] { b.maxSeconds = try reader.number(n, key: "budget.max_seconds", minimum: 0) }
            if let n = budget["max_depth"] { b.maxDepth = try reader.int(n, key: "budget.max_depth", minimum: 0) }
            profile.budget = b
        }
        if let node = top["generation"] {
            let generation = try reader.mapping(node, key: "generation", allowed: generationKeys)
            if let n = generation["max_tokens"] {
                profile.maxTokensPerCall = try reader.int(n, key: "generation.max_tokens", minimum: 1)
            }
            if let n = generation["temperature"] {
                profile.temperature = try reader.number(n, key: "generation.temperature", minimum: 0)
            }
            if let n = generation["repeat_penalty"] {
                profile.repetitionPenalty = try reader.number(n, key: "generation.repeat_penalty", minimum: 0.01)
            }
        }
        if let node = top["tool_format"] {
            let value = try reader.string(node, key: "tool_format")
            guard let choice = ToolFormatChoice(rawValue: value) else {
                throw AgentsError.profileInvalidValue(file: file, line: reader.line(node), key: "tool_format",
                                                      expected: "auto, json or native", found: "'\(value)'")
            }
            profile.toolFormat = choice
        }
        if let node = top["constrained"] { profile.constrained = try reader.bool(node, key: "constrained") }
        if let node = top["tool_first"] { profile.toolFirst = try reader.bool(node, key: "tool_first") }
        if let node = top["shell"] {
            let shell = try reader.mapping(node, key: "shell", allowed: shellKeys)
            if let n = shell["allow"] { profile.shellAllowList = try reader.stringList(n, key: "shell.allow") }
            if let n = shell["timeout_seconds"] {
                profile.shellTimeout = try reader.number(n, key: "shell.timeout_seconds", minimum: 0.001)
            }
        }
        if let node = top["result_limit"] { profile.resultLimit = try reader.int(node, key: "result_limit", minimum: 64) }
        if let node = top["max_parallel"] { profile.maxParallel = try reader.int(node, key: "max_parallel", minimum: 1) }
        if let node = top["parallel_calls"] { profile.parallelCalls = try reader.bool(node, key: "parallel_calls") }
        return profile
    }

    /// The text of prompt `name`: a file in one of `directories` (as named, or with ".md" added).
    static func loadPrompt(_ name: String, file: String, line: Int, directories: [URL]) throws(AgentsError) -> String {
        var searched: [String] = []
        for directory in directories {
            for candidate in [name, name + ".md"] {
                let url = directory.appendingPathComponent(candidate)
                searched.append(url.path)
                if let text = try? String(contentsOf: url, encoding: .utf8) {
                    return text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
        }
        throw AgentsError.promptNotFound(file: file, line: line, prompt: name, searched: searched)
    }

    static func syntaxError(_ error: YamlError, file: String) -> AgentsError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return .profileSyntax(file: file, line: mark.line, column: mark.column, problem: problem)
        default:
            return .profileSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
    }
}

/// Typed reads of YAML nodes that throw errors naming the file, line and key.
struct ProfileNodeReader {
    let file: String

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// A mapping with string keys, all of them in `allowed`; duplicate keys are refused.
    func mapping(_ node: Node, key: String, allowed: [String]) throws(AgentsError) -> [String: Node] {
        guard let mapping = node.mapping else {
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key,
                                                  expected: "a mapping of keys to values", found: describe(node))
        }
        var result: [String: Node] = [:]
        for (k, v) in mapping {
            guard let name = k.scalar?.string else {
                throw AgentsError.profileInvalidValue(file: file, line: line(k), key: key, expected: "plain keys",
                                                      found: describe(k))
            }
            let shown = key == "(top level)" ? name : key + "." + name
            guard allowed.contains(name) else {
                throw AgentsError.profileUnknownKey(file: file, line: line(k), key: shown, allowed: allowed)
            }
            guard result[name] == nil else {
                throw AgentsError.profileInvalidValue(file: file, line: line(k), key: shown,
                                                      expected: "given once", found: "a second '\(name)'")
            }
            result[name] = v
        }
        return result
    }

    func string(_ node: Node, key: String) throws(AgentsError) -> String {
        guard let scalar = node.scalar else {
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key, expected: "a string",
                                                  found: describe(node))
        }
        return scalar.string
    }

    /// A name made of letters, digits, '-' and '_'.
    func identifier(_ node: Node, key: String) throws(AgentsError) -> String {
        let value = try string(node, key: key)
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key,
                                                  expected: "letters, digits, '-' or '_'", found: "'\(value)'")
        }
        return value
    }

    func stringList(_ node: Node, key: String) throws(AgentsError) -> [String] {
        guard let sequence = node.sequence else {
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key, expected: "a list",
                                                  found: describe(node))
        }
        var result: [String] = []
        for item in sequence { result.append(try string(item, key: key)) }
        return result
    }

    func int(_ node: Node, key: String, minimum: Int) throws(AgentsError) -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")),
              value >= minimum else {
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key,
                                                  expected: "a whole number ≥ \(minimum)", found: describe(node))
        }
        return value
    }

    func number(_ node: Node, key: String, minimum: Double) throws(AgentsError) -> Double {
        guard let scalar = node.scalar, let value = Double(scalar.string), value.isFinite, value >= minimum else {
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key,
                                                  expected: "a number ≥ \(JSON.format(number: minimum))",
                                                  found: describe(node))
        }
        return value
    }

    func bool(_ node: Node, key: String) throws(AgentsError) -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true"?, "yes"?, "on"?: return true
        case "false"?, "no"?, "off"?: return false
        default:
            throw AgentsError.profileInvalidValue(file: file, line: line(node), key: key, expected: "true or false",
                                                  found: describe(node))
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}
