// Loading agent scripts: what a valid script becomes, and the exact errors (file:line:column, what was expected)
// for the mistakes people make — before any model runs, as `tokenworks run --dry-run` reports them.
import Agents
import Foundation
import XCTest

final class ScriptLoaderTests: XCTestCase {
    func testLoadsStepsInputsModelsAndAgents() throws {
        let dir = try TemporaryDirectory()
        let script = try loadScript("""
            name: demo
            description: A demonstration.
            inputs:
              topic: B-trees
              text: {stdin: true}
              count: {type: number, default: 2}
            agents:
              helper:
                system: You help.
                tools: [calculator]
                max_tokens: 40
            budget: {max_tokens: 500, max_seconds: 30}
            steps:
              - name: draft
                prompt: "Write about {{ topic }}."
                max_tokens: 20
              - name: check
                agent: helper
                task: "Check {{ draft }}"
              - name: listing
                tool: list_dir
                arguments: {path: "."}
            output: "{{ check }}"
            """, in: dir)
        XCTAssertEqual(script.name, "demo")
        XCTAssertEqual(script.inputNames, ["topic", "text", "count"])
        XCTAssertEqual(script.inputs[1].source, .stdin)
        XCTAssertEqual(script.inputs[2].kind, .number)
        XCTAssertEqual(script.steps.map(\.name), ["draft", "check", "listing"])
        XCTAssertEqual(script.steps.map(\.action.kind), ["prompt", "agent", "tool"])
        XCTAssertEqual(script.budget.maxTokens, 500)
        guard case .agent(let profile, _) = script.steps[1].action else { return XCTFail("not an agent step") }
        XCTAssertEqual(profile.name, "helper")
        XCTAssertEqual(profile.tools, ["calculator"])
        XCTAssertEqual(profile.maxTokensPerCall, 40)
        guard case .prompt(let prompt) = script.steps[0].action else { return XCTFail("not a prompt step") }
        XCTAssertEqual(prompt.maxTokens, 20)
        XCTAssertNil(prompt.model, "no model named: the default model")
    }

    func testYAMLSyntaxErrorNamesLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError { try loadScript("steps:\n  - prompt: \"unclosed\n", in: dir, name: "bad.yaml") }
        XCTAssertEqual(error?.location?.file, "bad.yaml")
        XCTAssertEqual(error?.location?.line, 3)
        XCTAssertTrue(error?.description.hasPrefix("bad.yaml:3:1: not valid YAML: ") == true, "\(String(describing: error))")
    }

    func testUnknownStepKeySaysWhichKeysAStepHas() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - name: a\n    prompt: hi\n    task: oops\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description, "bad.yaml:4:5: unknown key 'task' in step 'a' (a prompt step); expected "
                       + "one of: name, description, for_each, as, parallel, when, retry, schema, schema_file, budget, "
                       + "prompt, system, model, max_tokens, temperature, stop")
    }

    func testUnknownNameInATemplatePointsAtTheExpression() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("""
                inputs:
                  topic: trees
                steps:
                  - name: first
                    prompt: "About {{ topic }} and {{ sumary }}"
                """, in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description,
                       "bad.yaml:5:36: 'sumary' is not an input or an earlier step; names known here: topic")
    }

    func testALaterStepCannotBeReadEarlier() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - name: a\n    prompt: \"{{ b }}\"\n  - name: b\n    prompt: x\n",
                           in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description, "bad.yaml:3:14: 'b' is not an input or an earlier step; names known here: none")
    }

    func testTemplateErrorInsideABlockScalarHasItsOwnLine() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("""
                steps:
                  - name: a
                    prompt: |
                      First line.
                      Then {{ x | shout }} here.
                """, in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description, "bad.yaml:5:19: bad template: unknown filter 'shout'; filters: json, lines, "
                       + "files, trim, length, join, lower, upper, first, last")
    }

    func testUnclosedExpression() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError { try loadScript("steps:\n  - prompt: \"a {{ b\"\n", in: dir, name: "bad.yaml") }
        XCTAssertEqual(error?.description, "bad.yaml:2:16: bad template: '{{' is not closed with '}}'")
    }

    func testDuplicateStepNames() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - name: a\n    prompt: x\n  - name: a\n    prompt: y\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description,
                       "bad.yaml:4:5: a second step named 'a' (the first is on line 2); step names must be unique")
    }

    func testAStepDoesOneThing() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - name: a\n    prompt: x\n    tool: read_file\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description,
                       "bad.yaml:2:5: step 'a' has 'prompt' and 'tool': a step does one thing; split it into several steps")
        let none = scriptError { try loadScript("steps:\n  - name: a\n", in: dir, name: "bad.yaml") }
        XCTAssertEqual(none?.description,
                       "bad.yaml:2:5: step 'a' does nothing: give it one of prompt, template, agent, tool or script")
    }

    func testUnknownAgentListsTheProfiles() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - agent: planner\n    task: plan\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description, "bad.yaml:2:12: no agent named 'planner': define it under 'agents:' or add "
                       + "prompts/agents/planner.yaml; profiles available: default")
    }

    func testUnknownTool() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError { try loadScript("steps:\n  - tool: fly\n", in: dir, name: "bad.yaml") }
        XCTAssertEqual(error?.description, "bad.yaml:2:11: no tool named 'fly'; tools: read_file, write_file, "
                       + "edit_file, list_dir, search_text, run_shell, calculator, delegate, ask_default")
    }

    func testWrongValueType() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - prompt: x\n    retry: many\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description, "bad.yaml:3:12: 'retry' must be a whole number ≥ 0, found 'many'")
    }

    func testSchemaTheGrammarCannotEnforceIsRefused() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError {
            try loadScript("steps:\n  - prompt: x\n    schema: {type: string, pattern: \"(?=a)b\"}\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.location?.description, "bad.yaml:3:13")
        XCTAssertTrue(error?.description.contains("the schema cannot be enforced") == true, "\(String(describing: error))")
        XCTAssertTrue(error?.description.contains("pattern") == true, "\(String(describing: error))")
    }

    func testMissingPromptTemplateSaysWhereItLooked() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError { try loadScript("steps:\n  - template: nowhere\n", in: dir, name: "bad.yaml") }
        XCTAssertEqual(error?.location?.description, "bad.yaml:2:15")
        XCTAssertTrue(error?.description.contains("prompt template 'nowhere' not found; looked for ") == true)
    }

    func testPromptTemplateFileIsCheckedToo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("prompts/ask.md", "Say something about\n{{ topc }}.\n")
        let error = scriptError {
            try loadScript("inputs: {topic: x}\nsteps:\n  - template: ask\n", in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description,
                       "prompts/ask.md:2:1: 'topc' is not an input or an earlier step; names known here: topic")
    }

    func testSubScriptsThatCallEachOtherAreRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("b.yaml", "steps:\n  - script: a.yaml\n")
        let error = scriptError { try loadScript("steps:\n  - script: b.yaml\n", in: dir, name: "a.yaml") }
        XCTAssertEqual(error?.description, "b.yaml:2:13: scripts call each other in a loop: a.yaml → b.yaml → a.yaml")
    }

    func testSubScriptVarsMustBeItsInputs() throws {
        let dir = try TemporaryDirectory()
        try dir.write("sub.yaml", "inputs: {path: null}\nsteps:\n  - prompt: \"{{ path }}\"\n")
        let unknown = scriptError {
            try loadScript("steps:\n  - script: sub.yaml\n    vars: {file: x}\n", in: dir, name: "a.yaml")
        }
        XCTAssertEqual(unknown?.description,
                       "a.yaml:3:12: unknown key 'file' in 'vars' (the inputs of sub.yaml); expected one of: path")
        let missing = scriptError { try loadScript("steps:\n  - script: sub.yaml\n", in: dir, name: "a.yaml") }
        XCTAssertEqual(missing?.description,
                       "a.yaml:2:5: step 'step1' (sub.yaml has no default for 'path') needs 'vars.path'")
    }

    func testLoopVariableIsKnownOnlyInsideItsStep() throws {
        let dir = try TemporaryDirectory()
        _ = try loadScript("""
            inputs: {files: [a, b]}
            steps:
              - name: each
                for_each: "{{ files }}"
                as: file
                prompt: "{{ loop.index }}: {{ file }}"
            """, in: dir)
        let error = scriptError {
            try loadScript("""
                inputs: {files: [a, b]}
                steps:
                  - name: each
                    for_each: "{{ files }}"
                    prompt: "{{ item }}"
                  - prompt: "{{ item }}"
                """, in: dir, name: "bad.yaml")
        }
        XCTAssertEqual(error?.description,
                       "bad.yaml:6:14: 'item' is not an input or an earlier step; names known here: files, each")
    }

    func testMissingStepsKey() throws {
        let dir = try TemporaryDirectory()
        let error = scriptError { try loadScript("name: x\n", in: dir, name: "bad.yaml") }
        XCTAssertEqual(error?.description, "bad.yaml:1:1: the script needs 'steps'")
    }

    func testRemoteModelsAreNotLookedForAsFiles() throws {
        let dir = try TemporaryDirectory()
        let remote = "gpt-4o-mini@https://api.example.com/v1"
        let yaml = "models: {cloud: \"\(remote)\"}\nsteps:\n  - prompt: x\n    model: cloud\n"
        let url = try dir.write("m.yaml", yaml)
        var loader = scriptLoader(dir)
        loader.modelDirectories = [dir.url.appendingPathComponent("models")]
        let script = try loader.parse(yaml: yaml, file: "m.yaml", url: url)
        guard case .prompt(let prompt) = script.steps[0].action else { return XCTFail("not a prompt step") }
        XCTAssertEqual(prompt.model, remote)
        XCTAssertEqual(prompt.modelName, "cloud")
    }

    func testModelFilesAreCheckedWhenTheLoaderKnowsTheModelFolder() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("m.yaml", "models: {big: huge.gguf}\nsteps:\n  - prompt: x\n    model: big\n")
        var loader = scriptLoader(dir)
        loader.modelDirectories = [dir.url.appendingPathComponent("models")]
        let error = scriptError { try loader.parse(yaml: try String(contentsOf: url, encoding: .utf8), file: "m.yaml", url: url) }
        XCTAssertEqual(error?.location?.description, "m.yaml:1:15")
        XCTAssertTrue(error?.description.contains("no model file for 'huge.gguf'") == true)
    }
}
