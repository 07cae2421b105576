// One task of the agent evaluation set (bench/agent-eval/tasks.yaml): a prompt, the files its workspace
// holds, and a check of the answer. Read from YAML with errors naming file, line and key.
import Foundation
internal import Yams

/// A task with a checkable answer.
public struct EvalTask: Sendable, Equatable {
    public var id: String
    public var category: String
    public var prompt: String
    /// Files (path → text) written into the task's fresh workspace.
    public var files: [String: String]
    /// The agent profile to run (default: "default").
    public var profile: String
    /// Tools replacing the profile's own (nil: the profile's tools).
    public var tools: [String]?
    public var expect: Expectation

    public init(id: String, category: String = "", prompt: String, files: [String: String] = [:],
                profile: String = "default", tools: [String]? = nil, expect: Expectation) {
        self.id = id
        self.category = category
        self.prompt = prompt
        self.files = files
        self.profile = profile
        self.tools = tools
        self.expect = expect
    }

    /// What a correct answer looks like.
    public struct Expectation: Sendable, Equatable {
        /// Every one of these must occur in the answer (case-insensitive).
        public var contains: [String] = []
        /// At least one of these must occur (case-insensitive); empty means no such condition.
        public var any: [String] = []
        /// A number the answer must contain.
        public var number: Double?
        /// Tools that must have been called.
        public var tools: [String] = []

        public init(contains: [String] = [], any: [String] = [], number: Double? = nil, tools: [String] = []) {
            self.contains = contains
            self.any = any
            self.number = number
            self.tools = tools
        }

        /// Whether `answer` (and the tools called) meets every condition.
        public func accepts(_ answer: String, toolsCalled: Set<String>) -> Bool {
            let text = answer.lowercased()
            guard contains.allSatisfy({ text.contains($0.lowercased()) }) else { return false }
            guard any.isEmpty || any.contains(where: { text.contains($0.lowercased()) }) else { return false }
            if let number {
                let found = Self.numbers(in: answer)
                guard found.contains(where: { abs($0 - number) <= 1e-6 * max(1, abs(number)) }) else { return false }
            }
            return tools.allSatisfy(toolsCalled.contains)
        }

        /// The numbers written in `text` ("12,000" and "1e3" included).
        static func numbers(in text: String) -> [Double] {
            var result: [Double] = []
            var current = ""
            func flush() {
                let cleaned = current.replacingOccurrences(of: ",", with: "")
                    .trimmingCharacters(in: CharacterSet(charactersIn: ".,"))
                if let value = Double(cleaned) { result.append(value) }
                current = ""
            }
            for character in text {
                if character.isASCII, character.isNumber || character == "." || character == ","
                    || (character == "-" && current.isEmpty) {
                    current.append(character)
                } else {
                    flush()
                }
            }
            flush()
            return result
        }
    }

    /// Reads a task file: a mapping with `tasks:`, a list of tasks.
    public static func load(from url: URL) throws(AgentsError) -> [EvalTask] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AgentsError.profileUnreadable(file: url.path, reason: error.localizedDescription)
        }
        return try parse(yaml: text, file: url.path)
    }

    public static func parse(yaml text: String, file: String) throws(AgentsError) -> [EvalTask] {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return [] }
            root = node
        } catch let error as YamlError {
            throw AgentProfile.syntaxError(error, file: file)
        } catch {
            throw AgentsError.profileSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
        let reader = ProfileNodeReader(file: file)
        let top = try reader.mapping(root, key: "(top level)", allowed: ["tasks"])
        guard let list = top["tasks"], let items = list.sequence else {
            throw AgentsError.profileMissingKey(file: file, line: reader.line(root), key: "tasks")
        }
        var tasks: [EvalTask] = []
        var seen = Set<String>()
        for item in items {
            let m = try reader.mapping(item, key: "tasks[]", allowed: ["id", "category", "prompt", "files", "profile",
                                                                      "tools", "expect"])
            guard let idNode = m["id"] else { throw AgentsError.profileMissingKey(file: file, line: reader.line(item), key: "id") }
            let id = try reader.identifier(idNode, key: "id")
            guard seen.insert(id).inserted else {
                throw AgentsError.profileInvalidValue(file: file, line: reader.line(idNode), key: "id",
                                                      expected: "unique", found: "a second '\(id)'")
            }
            guard let promptNode = m["prompt"] else {
                throw AgentsError.profileMissingKey(file: file, line: reader.line(item), key: "tasks[\(id)].prompt")
            }
            var task = EvalTask(id: id, category: "", prompt: try reader.string(promptNode, key: "prompt"), files: [:],
                                profile: "default", tools: nil, expect: Expectation())
            if let n = m["category"] { task.category = try reader.string(n, key: "category") }
            if let n = m["profile"] { task.profile = try reader.string(n, key: "profile") }
            if let n = m["tools"] { task.tools = try reader.stringList(n, key: "tools") }
            if let filesNode = m["files"] {
                guard let files = filesNode.mapping else {
                    throw AgentsError.profileInvalidValue(file: file, line: reader.line(filesNode), key: "files",
                                                          expected: "a mapping of paths to texts", found: reader.describe(filesNode))
                }
                for (k, v) in files {
                    task.files[try reader.string(k, key: "files")] = try reader.string(v, key: "files.\(k.string ?? "")")
                }
            }
            guard let expectNode = m["expect"] else {
                throw AgentsError.profileMissingKey(file: file, line: reader.line(item), key: "tasks[\(id)].expect")
            }
            let e = try reader.mapping(expectNode, key: "expect", allowed: ["contains", "any", "number", "tools"])
            if let n = e["contains"] { task.expect.contains = try reader.stringList(n, key: "expect.contains") }
            if let n = e["any"] { task.expect.any = try reader.stringList(n, key: "expect.any") }
            if let n = e["number"] { task.expect.number = try reader.number(n, key: "expect.number", minimum: -1e300) }
            if let n = e["tools"] { task.expect.tools = try reader.stringList(n, key: "expect.tools") }
            tasks.append(task)
        }
        return tasks
    }
}
