// Loads an agent script from YAML and checks everything that can be checked before a model runs: keys and
// value types, step names, every `{{ name }}` against the inputs and earlier steps, agents, tools, models,
// prompt templates, schemas and sub-scripts. `tokenworks run --dry-run` is exactly this.
import Foundation
import Inference
import Ledger
internal import Yams

/// Reads scripts; errors name the file, line and column and say what was expected.
public struct ScriptLoader: Sendable {
    /// Where `agent: NAME` and `ask_NAME` tools find profiles, and `prompt:` names find prompt files.
    public var profiles: ProfileLibrary
    /// Folders a model named by file name is looked for in; nil skips the check that model files exist.
    public var modelDirectories: [URL]?
    /// Tools beyond the built-in ones that tool steps may call (the environment's custom tools).
    public var customTools: [String]
    /// Named remote endpoints: a model reference naming one (or `MODEL@URL`) is not a file to look for.
    public var config: AgentsConfig

    public init(profiles: ProfileLibrary = .standard(), modelDirectories: [URL]? = nil, customTools: [String] = [],
                config: AgentsConfig = AgentsConfig()) {
        self.profiles = profiles
        self.modelDirectories = modelDirectories
        self.customTools = customTools
        self.config = config
    }

    static let topKeys = ["name", "description", "inputs", "models", "agents", "budget", "steps", "output"]
    static let inputKeys = ["description", "default", "stdin", "file", "type"]
    static let budgetKeys = ["max_steps", "max_tokens", "max_cost_usd", "max_seconds"]
    static let agentKeys = ["profile", "description", "model", "system", "prompt", "tools", "budget", "max_tokens",
                            "temperature", "repeat_penalty", "constrained", "tool_first", "parallel_calls",
                          "max_parallel"]
    static let commonStepKeys = ["name", "description", "for_each", "as", "parallel", "when", "retry", "schema",
                                 "schema_file", "budget"]
    static let actionKeys: [String: [String]] = [
        "prompt": ["prompt", "system", "model", "max_tokens", "temperature", "stop"],
        "template": ["template", "system", "model", "max_tokens", "temperature", "stop"],
        "agent": ["agent", "task"],
        "tool": ["tool", "arguments"],
        "script": ["script", "vars"],
    ]
    /// Names a step or input may not take (loop variables).
    static let reserved = ["loop"]

    /// Loads the script at `path` (relative to the working directory or absolute); messages name it as given.
    public func load(path: String) throws(ScriptError) -> Script {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
        return try load(url: url, display: path, chain: [])
    }

    /// Parses script text; `file` is the name messages use, `url` where relative files are found from.
    public func parse(yaml: String, file: String, url: URL) throws(ScriptError) -> Script {
        try parse(yaml: yaml, file: file, url: url.standardizedFileURL, chain: [url.standardizedFileURL.path])
    }

    func load(url: URL, display: String, chain: [String]) throws(ScriptError) -> Script {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ScriptError.unreadable(file: display, reason: Self.reason(error))
        }
        return try parse(yaml: text, file: display, url: url, chain: chain + [url.path])
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError || ns.code == 260 {
            return "no such file"
        }
        return error.localizedDescription
    }

    func parse(yaml text: String, file: String, url: URL, chain: [String]) throws(ScriptError) -> Script {
        if let (line, column) = YAMLNesting.firstTooDeep(text) {
            throw ScriptError.syntax(SourceLocation(file: file, line: line, column: column),
                                     problem: "nested too deeply (scripts need a few levels)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScriptError.missingKey(SourceLocation(file: file, line: 1, column: 1), key: "steps",
                                             context: "the script")
            }
            root = node
        } catch let error as ScriptError {
            throw error
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw ScriptError.syntax(SourceLocation(file: file, line: 1, column: 1), problem: "\(error)")
        }
        let reader = ScriptNodeReader(file: file, text: text)
        var context = LoadContext(loader: self, reader: reader, url: url, chain: chain)
        return try context.script(root)
    }

    static func syntaxError(_ error: YamlError, file: String) -> ScriptError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return .syntax(SourceLocation(file: file, line: mark.line, column: mark.column), problem: problem)
        default:
            return .syntax(SourceLocation(file: file, line: 1, column: 1), problem: "\(error)")
        }
    }
}

/// The state of loading one file: what is declared so far, for checking references in order.
struct LoadContext {
    let loader: ScriptLoader
    let reader: ScriptNodeReader
    let url: URL
    let chain: [String]
    var models: [String: String?] = [:]
    var agents: [String: AgentProfile] = [:]

    init(loader: ScriptLoader, reader: ScriptNodeReader, url: URL, chain: [String]) {
        self.loader = loader
        self.reader = reader
        self.url = url
        self.chain = chain
    }

    var file: String { reader.file }
    var directory: URL { url.deletingLastPathComponent() }

    mutating func script(_ root: Node) throws(ScriptError) -> Script {
        let top = try reader.mapping(root, key: "(top level)", context: "the script", allowed: ScriptLoader.topKeys)
        var script = Script(file: file, url: url, name: url.deletingPathExtension().lastPathComponent, summary: "",
                            inputs: [], models: [:], agents: [:], budget: .unlimited,
                            budgetLocation: reader.location(root), steps: [], output: nil)
        if let node = top["name"] { script.name = try reader.string(node, key: "name") }
        if let node = top["description"] { script.summary = try reader.string(node, key: "description") }
        if let node = top["inputs"] { script.inputs = try inputs(node) }
        if let node = top["models"] {
            for entry in try reader.entries(node, key: "models", context: "'models'", allowed: nil) {
                try reader.checkIdentifier(entry.key, at: reader.location(entry.keyNode), key: "models")
                let reference = try reader.string(entry.value, key: "models." + entry.key)
                models[entry.key] = reference == "default"
                    ? String?.none : try locateModel(reference, at: reader.location(entry.value))
            }
            script.models = models
        }
        if let node = top["agents"] {
            for entry in try reader.entries(node, key: "agents", context: "'agents'", allowed: nil) {
                try reader.checkIdentifier(entry.key, at: reader.location(entry.keyNode), key: "agents")
                agents[entry.key] = try agent(entry.key, entry.value)
            }
            script.agents = agents
        }
        if let node = top["budget"] {
            script.budget = try budget(node, key: "budget", depth: false)
            script.budgetLocation = reader.location(node)
        }
        guard let stepsNode = top["steps"] else {
            throw ScriptError.missingKey(reader.location(root), key: "steps", context: "the script")
        }
        guard let sequence = stepsNode.sequence, sequence.count > 0 else {
            throw ScriptError.invalidValue(reader.location(stepsNode), key: "steps", expected: "a list of steps",
                                           found: reader.describe(stepsNode))
        }
        var known = script.inputNames
        var firstLines: [String: Int] = [:]
        for input in script.inputs { firstLines[input.name] = input.location.line }
        for (index, node) in sequence.enumerated() {
            let step = try self.step(node, number: index + 1, known: known)
            if let first = firstLines[step.name] {
                throw ScriptError.duplicateName(step.location, name: step.name, firstLine: first)
            }
            firstLines[step.name] = step.location.line
            known.append(step.name)
            script.steps.append(step)
        }
        if let node = top["output"] {
            let output = try reader.template(node, key: "output")
            try check(output, known: known)
            script.output = output
        }
        return script
    }

    // MARK: Inputs

    func inputs(_ node: Node) throws(ScriptError) -> [ScriptInput] {
        var result: [ScriptInput] = []
        for entry in try reader.entries(node, key: "inputs", context: "'inputs'", allowed: nil) {
            let at = reader.location(entry.keyNode)
            try reader.checkIdentifier(entry.key, at: at, key: "inputs")
            if ScriptLoader.reserved.contains(entry.key) {
                throw ScriptError.invalidValue(at, key: "inputs", expected: "a name other than 'loop'",
                                               found: "'\(entry.key)'")
            }
            var input = ScriptInput(name: entry.key, summary: "", source: .value(nil), kind: .string, location: at)
            let value = entry.value
            if value.mapping == nil {
                let json = try reader.json(value)
                if json != .null {
                    input.source = .value(json)
                    input.kind = Self.kind(of: json)
                }
                result.append(input)
                continue
            }
            let keys = try reader.mapping(value, key: "inputs." + entry.key, context: "input '\(entry.key)'",
                                          allowed: ScriptLoader.inputKeys)
            if let n = keys["description"] { input.summary = try reader.string(n, key: "description") }
            let sources = ["default", "stdin", "file"].filter { keys[$0] != nil }
            if sources.count > 1 {
                throw ScriptError.invalidValue(reader.location(value), key: "inputs." + entry.key,
                                               expected: "one of default, stdin or file",
                                               found: sources.joined(separator: " and "))
            }
            if let n = keys["default"] {
                let json = try reader.json(n)
                input.source = .value(json == .null ? nil : json)
                input.kind = Self.kind(of: json)
            }
            if let n = keys["stdin"] {
                guard try reader.bool(n, key: "stdin") else {
                    throw ScriptError.invalidValue(reader.location(n), key: "stdin", expected: "true (or no 'stdin')",
                                                   found: "false")
                }
                input.source = .stdin
            }
            if let n = keys["file"] { input.source = .file(try reader.string(n, key: "file")) }
            if let n = keys["type"] {
                let name = try reader.string(n, key: "type")
                guard let kind = ScriptInput.Kind(rawValue: name) else {
                    throw ScriptError.invalidValue(reader.location(n), key: "type",
                                                   expected: ScriptInput.Kind.allCases.map(\.rawValue)
                                                       .joined(separator: ", "), found: "'\(name)'")
                }
                input.kind = kind
                if case .value(let json?) = input.source {
                    input.source = .value(try ScriptInputs.convert(json, to: kind, name: input.name,
                                                                   at: reader.location(keys["default"] ?? n)))
                }
            }
            result.append(input)
        }
        return result
    }

    static func kind(of value: JSON) -> ScriptInput.Kind {
        switch value {
        case .number: return .number
        case .bool: return .boolean
        case .array: return .list
        case .object: return .json
        case .string, .null: return .string
        }
    }

    // MARK: Models and agents

    /// The path a model reference is run with: found relative to the script, the working directory or the
    /// models folder (the check is skipped when the loader has no model folders); remote models as they are.
    func locateModel(_ reference: String, at location: SourceLocation) throws(ScriptError) -> String {
        do {
            if try loader.config.remoteEndpoint(for: reference) != nil { return reference }
        } catch {
            throw ScriptError.invalidValue(location, key: "model", expected: "a model file or a remote model "
                                           + "(an endpoint of config.yaml, or MODEL@URL)",
                                           found: "'\(reference)' (\(error))")
        }
        let expanded = (reference as NSString).expandingTildeInPath
        let fm = FileManager.default
        if expanded.hasPrefix("/") {
            if fm.fileExists(atPath: expanded) || loader.modelDirectories == nil { return expanded }
            throw ScriptError.modelNotFound(location, name: reference, path: expanded)
        }
        var candidates = [directory.appendingPathComponent(expanded).path,
                          URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(expanded).path]
        candidates += (loader.modelDirectories ?? []).map { $0.appendingPathComponent(expanded).path }
        if let found = candidates.first(where: { fm.fileExists(atPath: $0) }) {
            return URL(fileURLWithPath: found).standardizedFileURL.path
        }
        guard loader.modelDirectories != nil else { return expanded }
        throw ScriptError.modelNotFound(location, name: reference, path: candidates.last ?? expanded)
    }

    /// A step's or agent's `model:`: an alias from `models:`, "default", or a model file.
    func model(_ node: Node, key: String) throws(ScriptError) -> (reference: String?, name: String) {
        let name = try reader.string(node, key: key)
        if let alias = models[name] { return (alias, name) }
        if name == "default" { return (nil, name) }
        return (try locateModel(name, at: reader.location(node)), name)
    }

    func budget(_ node: Node, key: String, depth: Bool) throws(ScriptError) -> Budget {
        let keys = try reader.mapping(node, key: key, context: "'\(key)'",
                                      allowed: ScriptLoader.budgetKeys + (depth ? ["max_depth"] : []))
        var b = Budget()
        if let n = keys["max_steps"] { b.maxSteps = try reader.int(n, key: key + ".max_steps", minimum: 1) }
        if let n = keys["max_tokens"] { b.maxTokens = try reader.int(n, key: key + ".max_tokens", minimum: 1) }
        if let n = keys["max_cost_usd"] {
            b.maxCost = Cost(dollars: try reader.number(n, key: key + ".max_cost_usd", minimum: 0))
        }
        if let n = keys["max_seconds"] { b.maxSeconds = try reader.number(n, key: key + ".max_seconds", minimum: 0) }
        if let n = keys["max_depth"] { b.maxDepth = try reader.int(n, key: key + ".max_depth", minimum: 0) }
        return b
    }

    /// A profile from the library, with errors placed at `location`.
    func libraryProfile(_ name: String, at location: SourceLocation) throws(ScriptError) -> AgentProfile {
        do {
            return try loader.profiles.profile(named: name)
        } catch {
            if case .profileNotFound = error {
                throw ScriptError.unknownAgent(location, name: name, available: loader.profiles.names())
            }
            throw ScriptError.invalidAgent(location, name: name, problem: error.description)
        }
    }

    /// An agent under `agents:`: a profile name, or a definition (optionally based on a profile).
    func agent(_ name: String, _ node: Node) throws(ScriptError) -> AgentProfile {
        if node.mapping == nil {
            return try libraryProfile(try reader.string(node, key: "agents." + name), at: reader.location(node))
        }
        let keys = try reader.mapping(node, key: "agents." + name, context: "agent '\(name)'",
                                      allowed: ScriptLoader.agentKeys)
        var profile = AgentProfile(name: name, summary: "", systemPrompt: "You are a helpful assistant.", tools: [],
                                   maxTokensPerCall: 256, file: file)
        if let n = keys["profile"] {
            profile = try libraryProfile(try reader.string(n, key: "profile"), at: reader.location(n))
            profile.name = name
        }
        if let n = keys["description"] { profile.summary = try reader.string(n, key: "description") }
        if let n = keys["model"] {
            profile.model = try model(n, key: "model").reference
        } else if keys["profile"] == nil, let alias = models["default"] {
            profile.model = alias
        }
        if keys["system"] != nil && keys["prompt"] != nil {
            throw ScriptError.invalidValue(reader.location(node), key: "agents." + name,
                                           expected: "one of 'system' or 'prompt'", found: "both")
        }
        if let n = keys["system"] { profile.systemPrompt = try reader.string(n, key: "system") }
        if let n = keys["prompt"] {
            let prompt = try reader.string(n, key: "prompt")
            do {
                profile.systemPrompt = try AgentProfile.loadPrompt(prompt, file: file, line: reader.location(n).line,
                                                                   directories: loader.profiles.promptDirectories)
            } catch {
                throw ScriptError.fileNotFound(reader.location(n), what: "system prompt", name: prompt,
                                               searched: loader.profiles.promptDirectories.map(\.path))
            }
        }
        if let n = keys["tools"] {
            profile.tools = try reader.stringList(n, key: "tools")
            for (index, tool) in profile.tools.enumerated() {
                let at = reader.location(n.sequence?[index] ?? n)
                guard AgentProfile.builtinToolNames.contains(tool) || tool == "delegate"
                    || loader.customTools.contains(tool) || (tool.hasPrefix("mcp:") && tool.count > 4) else {
                    guard tool.hasPrefix("ask_") else {
                        throw ScriptError.unknownTool(at, name: tool, available: toolNames)
                    }
                    _ = try libraryProfile(String(tool.dropFirst(4)), at: at)
                    continue
                }
            }
        }
        if let n = keys["budget"] { profile.budget = try budget(n, key: "agents.\(name).budget", depth: true) }
        if let n = keys["max_tokens"] { profile.maxTokensPerCall = try reader.int(n, key: "max_tokens", minimum: 1) }
        if let n = keys["temperature"] { profile.temperature = try reader.number(n, key: "temperature", minimum: 0) }
        if let n = keys["repeat_penalty"] {
            profile.repetitionPenalty = try reader.number(n, key: "repeat_penalty", minimum: 0.01)
        }
        if let n = keys["constrained"] { profile.constrained = try reader.bool(n, key: "constrained") }
        if let n = keys["tool_first"] { profile.toolFirst = try reader.bool(n, key: "tool_first") }
        if let n = keys["parallel_calls"] { profile.parallelCalls = try reader.bool(n, key: "parallel_calls") }
        if let n = keys["max_parallel"] { profile.maxParallel = try reader.int(n, key: "max_parallel", minimum: 1) }
        return profile
    }

    /// Tools a tool step or an agent may name.
    var toolNames: [String] {
        AgentProfile.builtinToolNames + loader.customTools + ["delegate"]
            + loader.profiles.names().map { "ask_" + $0 }
    }

    // MARK: Steps

    func step(_ node: Node, number: Int, known: [String]) throws(ScriptError) -> ScriptStep {
        let stepAt = reader.location(node)
        let entries = try reader.entries(node, key: "steps", context: "step \(number)", allowed: nil)
        var keys: [String: Node] = [:]
        for entry in entries { keys[entry.key] = entry.value }
        var name = "step\(number)"
        if let n = keys["name"] {
            name = try reader.identifier(n, key: "name")
            if ScriptLoader.reserved.contains(name) {
                throw ScriptError.invalidValue(reader.location(n), key: "name", expected: "a name other than 'loop'",
                                               found: "'loop'")
            }
        }
        let actions = entries.map(\.key).filter { ScriptLoader.actionKeys[$0] != nil }
        guard let actionKey = actions.first else { throw ScriptError.noAction(stepAt, step: name) }
        guard actions.count == 1 else { throw ScriptError.conflictingKeys(stepAt, step: name, keys: actions) }
        let allowed = ScriptLoader.commonStepKeys + (ScriptLoader.actionKeys[actionKey] ?? [])
        for entry in entries where !allowed.contains(entry.key) {
            throw ScriptError.unknownKey(reader.location(entry.keyNode), key: entry.key,
                                         context: "step '\(name)' (a \(actionKey == "template" ? "prompt" : actionKey) step)",
                                         allowed: allowed)
        }

        // The loop comes first: its variable is known in the step's other fields.
        var inner = known
        var forEach: ScriptTemplate?
        var itemName = "item"
        if let n = keys["for_each"] {
            let list = try reader.template(n, key: "for_each")
            try check(list, known: known)
            forEach = list
            if let a = keys["as"] {
                itemName = try reader.identifier(a, key: "as")
                if known.contains(itemName) || ScriptLoader.reserved.contains(itemName) {
                    throw ScriptError.invalidValue(reader.location(a), key: "as",
                                                   expected: "a name not already taken by an input or a step",
                                                   found: "'\(itemName)'")
                }
            }
            inner += [itemName, "loop"]
        } else {
            for key in ["as", "parallel"] where keys[key] != nil {
                throw ScriptError.invalidValue(reader.location(keys[key] ?? node), key: key,
                                               expected: "used together with 'for_each'", found: "no 'for_each'")
            }
        }

        let action: ScriptStep.Action
        switch actionKey {
        case "prompt", "template":
            action = .prompt(try prompt(keys, actionKey: actionKey, known: inner))
        case "agent":
            guard let n = keys["agent"] else { throw ScriptError.noAction(stepAt, step: name) }
            let agentName = try reader.string(n, key: "agent")
            let profile: AgentProfile
            if let defined = agents[agentName] {
                profile = defined
            } else {
                profile = try libraryProfile(agentName, at: reader.location(n))
            }
            guard let t = keys["task"] else {
                throw ScriptError.missingKey(stepAt, key: "task", context: "step '\(name)' (an agent step)")
            }
            let task = try reader.template(t, key: "task")
            try check(task, known: inner)
            action = .agent(profile: profile, task: task)
        case "tool":
            guard let n = keys["tool"] else { throw ScriptError.noAction(stepAt, step: name) }
            let tool = try reader.string(n, key: "tool")
            guard toolNames.contains(tool) else {
                throw ScriptError.unknownTool(reader.location(n), name: tool, available: toolNames)
            }
            var arguments = TemplateValue.object([], [:])
            if let a = keys["arguments"] {
                guard a.mapping != nil else {
                    throw ScriptError.invalidValue(reader.location(a), key: "arguments",
                                                   expected: "a mapping of argument names to values",
                                                   found: reader.describe(a))
                }
                arguments = try reader.templateValue(a, key: "arguments")
            }
            for template in arguments.templates { try check(template, known: inner) }
            action = .tool(name: tool, arguments: arguments)
        default:
            action = try subScript(keys, stepAt: stepAt, step: name, known: inner)
        }

        var step = ScriptStep(name: name, location: stepAt, action: action, forEach: forEach, itemName: itemName,
                              parallel: 1, when: nil, retry: 0, schema: nil, budget: .unlimited,
                              budgetLocation: stepAt)
        if let n = keys["parallel"] { step.parallel = try reader.int(n, key: "parallel", minimum: 1) }
        if let n = keys["when"] {
            let when = try reader.template(n, key: "when")
            try check(when, known: inner)
            step.when = when
        }
        if let n = keys["retry"] { step.retry = try reader.int(n, key: "retry", minimum: 0) }
        if let n = keys["budget"] {
            step.budget = try budget(n, key: "budget", depth: false)
            step.budgetLocation = reader.location(n)
        }
        step.schema = try schema(keys, stepAt: stepAt)
        return step
    }

    func prompt(_ keys: [String: Node], actionKey: String, known: [String]) throws(ScriptError) -> PromptAction {
        let text: ScriptTemplate
        if actionKey == "prompt", let n = keys["prompt"] {
            text = try reader.template(n, key: "prompt")
        } else if let n = keys["template"] {
            text = try template(named: try reader.string(n, key: "template"), at: reader.location(n))
        } else {
            throw ScriptError.missingKey(SourceLocation(file: file, line: 1, column: 1), key: "prompt",
                                         context: "a prompt step")
        }
        try check(text, known: known)
        var action = PromptAction(prompt: text, system: nil, model: models["default"] ?? nil, modelName: "default",
                                  maxTokens: 256, temperature: 0, stop: [])
        if let n = keys["system"] {
            let system = try reader.template(n, key: "system")
            try check(system, known: known)
            action.system = system
        }
        if let n = keys["model"] { (action.model, action.modelName) = try model(n, key: "model") }
        if let n = keys["max_tokens"] { action.maxTokens = try reader.int(n, key: "max_tokens", minimum: 1) }
        if let n = keys["temperature"] { action.temperature = try reader.number(n, key: "temperature", minimum: 0) }
        if let n = keys["stop"] { action.stop = try reader.stringList(n, key: "stop") }
        return action
    }

    /// A prompt template file: next to the script, in its prompts/ folder, then in the prompt folders.
    func template(named name: String, at location: SourceLocation) throws(ScriptError) -> ScriptTemplate {
        var searched: [String] = []
        let folders = [directory, directory.appendingPathComponent("prompts")] + loader.profiles.promptDirectories
        for folder in folders {
            for candidate in [name, name + ".md", name + ".txt"] {
                let url = folder.appendingPathComponent(candidate)
                searched.append(url.path)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                let shown = Self.display(url, relativeTo: directory, parentDisplay: file)
                let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
                return try ScriptTemplate(body, locator: TextLocator(file: shown, line: 1, column: 1,
                                                                     continuationColumn: 1))
            }
        }
        throw ScriptError.fileNotFound(location, what: "prompt template", name: name, searched: searched)
    }

    /// How a file found next to the script is named in messages: relative like the script's own name.
    static func display(_ url: URL, relativeTo directory: URL, parentDisplay: String) -> String {
        let base = directory.standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(base) else { return path }
        let parentFolder = (parentDisplay as NSString).deletingLastPathComponent
        let relative = String(path.dropFirst(base.count))
        return parentFolder.isEmpty ? relative : parentFolder + "/" + relative
    }

    func subScript(_ keys: [String: Node], stepAt: SourceLocation, step: String,
                   known: [String]) throws(ScriptError) -> ScriptStep.Action {
        guard let n = keys["script"] else { throw ScriptError.noAction(stepAt, step: step) }
        let path = try reader.string(n, key: "script")
        let target = directory.appendingPathComponent((path as NSString).expandingTildeInPath).standardizedFileURL
        let shown = Self.display(target, relativeTo: directory, parentDisplay: file)
        if chain.contains(target.path) {
            let names = chain.map { URL(fileURLWithPath: $0).lastPathComponent } + [target.lastPathComponent]
            throw ScriptError.cycle(reader.location(n), chain: names)
        }
        guard FileManager.default.fileExists(atPath: target.path) else {
            throw ScriptError.fileNotFound(reader.location(n), what: "script", name: path, searched: [target.path])
        }
        let sub = try loader.load(url: target, display: shown, chain: chain)
        var vars: [String: TemplateValue] = [:]
        if let v = keys["vars"] {
            for entry in try reader.entries(v, key: "vars", context: "'vars' (the inputs of \(shown))",
                                            allowed: sub.inputNames) {
                let value = try reader.templateValue(entry.value, key: "vars." + entry.key)
                for template in value.templates { try check(template, known: known) }
                vars[entry.key] = value
            }
        }
        for input in sub.inputs where vars[input.name] == nil {
            if case .value(nil) = input.source {
                throw ScriptError.missingKey(stepAt, key: "vars.\(input.name)",
                                             context: "step '\(step)' (\(shown) has no default for '\(input.name)')")
            }
        }
        return .script(sub, vars: vars)
    }

    func schema(_ keys: [String: Node], stepAt: SourceLocation) throws(ScriptError) -> JSON? {
        let schema: JSON
        let at: SourceLocation
        switch (keys["schema"], keys["schema_file"]) {
        case (nil, nil):
            return nil
        case (_?, let f?):
            throw ScriptError.invalidValue(reader.location(f), key: "schema_file", expected: "given without 'schema'",
                                           found: "both 'schema' and 'schema_file'")
        case (let s?, nil):
            schema = try reader.json(s)
            at = reader.location(s)
        case (nil, let f?):
            let name = try reader.string(f, key: "schema_file")
            at = reader.location(f)
            let target = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: target, encoding: .utf8) else {
                throw ScriptError.fileNotFound(at, what: "schema file", name: name, searched: [target.path])
            }
            do {
                schema = try JSON(parsing: text)
            } catch {
                throw ScriptError.invalidSchema(at, problem: "\(name) is not JSON: \(error)")
            }
        }
        guard schema.objectValue != nil else {
            throw ScriptError.invalidSchema(at, problem: "a JSON Schema is an object, not \(schema.typeDescription)")
        }
        do {
            _ = try JSONSchemaGrammar.grammar(schemaJSON: schema.text)
        } catch {
            throw ScriptError.invalidSchema(at, problem: "\(error)")
        }
        return schema
    }

    /// Every name `template` reads must be known at this point of the script.
    func check(_ template: ScriptTemplate, known: [String]) throws(ScriptError) {
        for reference in template.references where !known.contains(reference.name) {
            throw ScriptError.unknownName(reference.location, name: reference.name, known: known)
        }
    }
}
