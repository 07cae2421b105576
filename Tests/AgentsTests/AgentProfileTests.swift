// Agent profiles from YAML: the committed ones load, and mistakes are reported with file, line and key.
import Agents
import Foundation
import Ledger
import XCTest

final class AgentProfileTests: XCTestCase {
    private var repositoryPrompts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("prompts")
    }

    private func parse(_ yaml: String, prompts: [URL] = []) throws -> AgentProfile {
        try AgentProfile.parse(yaml: yaml, file: "agents/x.yaml", defaultName: "x", promptDirectories: prompts)
    }

    func testCommittedProfilesLoad() throws {
        let library = ProfileLibrary(directories: [repositoryPrompts.appendingPathComponent("agents")],
                                     promptDirectories: [repositoryPrompts, repositoryPrompts.appendingPathComponent("system")])
        XCTAssertTrue(Set(library.names()).isSuperset(of: ["default", "summarizer", "coder"]))
        for name in library.names() {
            let profile = try library.profile(named: name)
            XCTAssertEqual(profile.name, name)
            XCTAssertFalse(profile.systemPrompt.isEmpty)
        }
        let summarizer = try library.profile(named: "summarizer")
        XCTAssertEqual(summarizer.tools, ["read_file"])
        XCTAssertEqual(summarizer.budget.maxDepth, 0)
    }

    func testFullProfile() throws {
        let profile = try parse("""
            description: Test agent
            model: /models/tiny.gguf
            system: You are terse.
            tools: [read_file, calculator, ask_helper]
            budget:
              max_steps: 4
              max_tokens: 1000
              max_cost_usd: 0.5
              max_seconds: 30
              max_depth: 1
            generation:
              max_tokens: 64
              temperature: 0.2
            tool_format: json
            constrained: false
            tool_first: true
            shell:
              allow: [ls]
              timeout_seconds: 5
            result_limit: 2000
            """)
        XCTAssertEqual(profile.name, "x")
        XCTAssertEqual(profile.model, "/models/tiny.gguf")
        XCTAssertEqual(profile.systemPrompt, "You are terse.")
        XCTAssertEqual(profile.tools, ["read_file", "calculator", "ask_helper"])
        XCTAssertEqual(profile.budget, Budget(maxSteps: 4, maxTokens: 1000, maxCost: Cost(dollars: 0.5), maxSeconds: 30,
                                              maxDepth: 1))
        XCTAssertEqual(profile.maxTokensPerCall, 64)
        XCTAssertEqual(profile.temperature, 0.2)
        XCTAssertEqual(profile.toolFormat, .json)
        XCTAssertFalse(profile.constrained)
        XCTAssertTrue(profile.toolFirst)
        XCTAssertEqual(profile.shellAllowList, ["ls"])
        XCTAssertEqual(profile.shellTimeout, 5)
        XCTAssertEqual(profile.resultLimit, 2000)
    }

    func testPromptFileIsLookedUpWithMarkdownExtension() throws {
        let profile = try parse("prompt: summarizer", prompts: [repositoryPrompts.appendingPathComponent("system")])
        XCTAssertTrue(profile.systemPrompt.hasPrefix("You summarize text."))
    }

    func testUnknownKeyNamesLineAndAllowedKeys() {
        let error = agentsError { try parse("system: hi\nbudgett:\n  max_steps: 3\n") }
        XCTAssertEqual(error?.description, "agents/x.yaml:2: unknown key 'budgett'; allowed keys: name, description, "
                       + "model, prompt, system, tools, budget, generation, tool_format, constrained, tool_first, shell, "
                       + "result_limit, max_parallel, parallel_calls")
    }

    func testNestedUnknownKeyIsQualified() {
        let error = agentsError { try parse("system: hi\nbudget:\n  max_step: 3\n") }
        XCTAssertEqual(error, .profileUnknownKey(file: "agents/x.yaml", line: 3, key: "budget.max_step",
                                                 allowed: ["max_steps", "max_tokens", "max_cost_usd", "max_seconds", "max_depth"]))
    }

    func testWrongValueTypeNamesKeyAndLine() {
        let error = agentsError { try parse("system: hi\nbudget:\n  max_steps: many\n") }
        XCTAssertEqual(error?.description, "agents/x.yaml:3: 'budget.max_steps' must be a whole number ≥ 1, found 'many'")
    }

    func testUnknownToolIsRefused() {
        let error = agentsError { try parse("system: hi\ntools:\n  - read_file\n  - teleport\n") }
        XCTAssertEqual(error?.description, "agents/x.yaml:4: 'tools' must be one of read_file, write_file, edit_file, "
                       + "list_dir, search_text, run_shell, calculator, delegate, ask_PROFILE or mcp:SERVER, found 'teleport'")
    }

    func testMissingPromptIsReported() {
        XCTAssertEqual(agentsError { try parse("tools: [read_file]\n") },
                       .profileMissingKey(file: "agents/x.yaml", line: 1, key: "prompt"))
    }

    func testMissingPromptFileListsWhereItLooked() {
        let error = agentsError { try parse("prompt: nowhere\n", prompts: [URL(fileURLWithPath: "/p")]) }
        XCTAssertEqual(error?.description,
                       "agents/x.yaml:1: system prompt 'nowhere' not found in /p/nowhere, /p/nowhere.md")
    }

    func testYAMLSyntaxErrorHasLineAndColumn() {
        guard case .profileSyntax(let file, let line, _, _)? = agentsError({ try parse("system: hi\ntools: [a, b\n") })
        else { return XCTFail("expected a syntax error") }
        XCTAssertEqual(file, "agents/x.yaml")
        XCTAssertEqual(line, 3)
    }

    func testNameMustMatchTheFile() {
        XCTAssertEqual(agentsError { try parse("name: other\nsystem: hi\n") }?.description,
                       "agents/x.yaml:1: 'name' must be the file's name 'x', found 'other'")
    }

    func testUnknownProfileListsAvailableOnes() {
        let library = ProfileLibrary(directories: [repositoryPrompts.appendingPathComponent("agents")],
                                     promptDirectories: [repositoryPrompts.appendingPathComponent("system")])
        guard case .profileNotFound(let name, _, let available)? = agentsError({ try library.profile(named: "nobody") })
        else { return XCTFail("expected profileNotFound") }
        XCTAssertEqual(name, "nobody")
        XCTAssertTrue(available.contains("summarizer"))
    }

    func testUserProfilesOverrideProjectProfiles() throws {
        let user = try TemporaryDirectory()
        try user.write("summarizer.yaml", "system: my own summarizer\n")
        let library = ProfileLibrary(directories: [user.url, repositoryPrompts.appendingPathComponent("agents")],
                                     promptDirectories: [repositoryPrompts.appendingPathComponent("system")])
        XCTAssertEqual(try library.profile(named: "summarizer").systemPrompt, "my own summarizer")
    }
}
