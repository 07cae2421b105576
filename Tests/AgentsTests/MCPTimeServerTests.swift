// MCP tools from a real server (`mcp-server-time` from PyPI, over stdio) appear to agents beside the built-in
// tools, follow the same confirmation rule as the shell, and are recorded in the ledger like any tool call.
import Agents
import Foundation
import Ledger
import TestSupport
import XCTest

final class MCPTimeServerTests: XCTestCase {
    func testTheServersToolsAreListedWithPrefixedNamesAndSchemas() async throws {
        try MCPSupport.requireTimeServer()
        let toolbox = MCPToolbox(servers: ["time": MCPSupport.timeServer()])
        let (tools, failures) = await toolbox.tools(of: ["time"])
        await toolbox.shutdown()
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        let names = tools.map(\.name).sorted()
        XCTAssertEqual(names, ["time_convert_time", "time_get_current_time"])
        let current = try XCTUnwrap(tools.first { $0.remoteName == "get_current_time" })
        XCTAssertEqual(current.parameters["type"], "object")
        XCTAssertNotNil(current.parameters["properties"]?["timezone"])
    }

    func testAnAllowedToolRunsAndReturnsTheServersText() async throws {
        try MCPSupport.requireTimeServer()
        let toolbox = MCPToolbox(servers: ["time": MCPSupport.timeServer(allow: ["get_current_time"])])
        let (tools, _) = await toolbox.tools(of: ["time"])
        defer { Task { await toolbox.shutdown() } }
        let tool = try XCTUnwrap(tools.first { $0.remoteName == "get_current_time" })
        let directory = try TemporaryDirectory()
        let context = ToolContext(workspace: try Workspace(root: directory.path))
        let result = try await tool.run(ToolArguments(tool: tool.name, object: JSONObject([("timezone", "UTC")])),
                                        context: context)
        XCTAssertFalse(result.isError)
        let answer = try JSON(parsing: result.output)
        XCTAssertEqual(answer["timezone"], "UTC")
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        XCTAssertTrue(answer["datetime"]?.stringValue?.hasPrefix("\(year)-") ?? false, result.output)
    }

    func testAToolNotAllowedAsksAndANoDeclinesTheCall() async throws {
        try MCPSupport.requireTimeServer()
        let toolbox = MCPToolbox(servers: ["time": MCPSupport.timeServer()])
        let (tools, _) = await toolbox.tools(of: ["time"])
        defer { Task { await toolbox.shutdown() } }
        let tool = try XCTUnwrap(tools.first { $0.remoteName == "get_current_time" })
        let asked = Locked<[String]>([])
        let directory = try TemporaryDirectory()
        let context = ToolContext(workspace: try Workspace(root: directory.path), agent: "tester",
                                  confirm: { request in asked.mutate { $0.append(request.command) }; return false })
        do {
            _ = try await tool.run(ToolArguments(tool: tool.name, object: JSONObject([("timezone", "UTC")])), context: context)
            XCTFail("the call ran without permission")
        } catch {
            XCTAssertEqual("\(error)", "the user declined the call of time_get_current_time")
        }
        XCTAssertEqual(asked.value, ["MCP time: get_current_time {\"timezone\": \"UTC\"}"])
    }

    func testAServersOwnToolErrorReachesTheModelAsAnErrorResult() async throws {
        try MCPSupport.requireTimeServer()
        let toolbox = MCPToolbox(servers: ["time": MCPSupport.timeServer(allow: ["*"])])
        let (tools, _) = await toolbox.tools(of: ["time"])
        defer { Task { await toolbox.shutdown() } }
        let tool = try XCTUnwrap(tools.first { $0.remoteName == "get_current_time" })
        let directory = try TemporaryDirectory()
        let result = try await tool.run(ToolArguments(tool: tool.name, object: JSONObject([("timezone", "Mars/Olympus")])),
                                        context: ToolContext(workspace: try Workspace(root: directory.path)))
        XCTAssertTrue(result.isError)
        XCTAssertTrue(result.output.contains("Mars/Olympus"), result.output)
    }

    func testAnAgentCallsTheMCPToolAndTheLedgerRecordsIt() async throws {
        try MCPSupport.requireTimeServer()
        let toolbox = MCPToolbox(servers: ["time": MCPSupport.timeServer(allow: ["get_current_time"])])
        let (tools, _) = await toolbox.tools(of: ["time"])
        defer { Task { await toolbox.shutdown() } }
        let directory = try TemporaryDirectory()
        let ledger = try LedgerStore(path: directory.url.appendingPathComponent("ledger.sqlite").path)
        let backend = ScriptedBackend(replies: [
            #"{"tool": "time_get_current_time", "arguments": {"timezone": "UTC"}}"#,
            #"{"answer": "It is some time in UTC."}"#,
        ])
        let profile = AgentProfile(name: "clock", systemPrompt: "Tell the time.", tools: ["mcp:time"],
                                   toolFormat: .json, constrained: false)
        let environment = AgentEnvironment(workspace: try Workspace(root: directory.path),
                                           profiles: ProfileLibrary(directories: [], promptDirectories: []),
                                           backends: { _ in backend }, ledger: ledger, customTools: tools)
        let result = await AgentRunner(environment: environment).run(profile: profile, task: "What time is it?")
        XCTAssertEqual(result.stop, .answered)
        let records = try await ledger.records(matching: LedgerFilter())
        let call = try XCTUnwrap(records.first { $0.kind == .tool })
        XCTAssertEqual(call.tool, "time_get_current_time")
        XCTAssertEqual(call.outcome, .ok)
        XCTAssertEqual(call.details?["mcp_server"], .string("time"))
    }

    func testAServerThatCannotStartIsReportedWithItsStderr() async throws {
        let broken = MCPServerConfig(name: "broken", command: "python3", arguments: ["-m", "no_such_mcp_module_xyz"],
                                     timeout: 20)  // it exits at once: the error must not wait for this
        let toolbox = MCPToolbox(servers: ["broken": broken])
        let started = Date()
        let (tools, failures) = await toolbox.tools(of: ["broken", "unconfigured"])
        await toolbox.shutdown()
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "reported when it exited, not at the time limit")
        XCTAssertTrue(tools.isEmpty)
        XCTAssertEqual(failures.count, 2)
        let first = "\(failures[0])"
        XCTAssertTrue(first.hasPrefix("MCP server 'broken' failed: "), first)
        XCTAssertTrue(first.contains("No module named no_such_mcp_module_xyz"), first)
        XCTAssertEqual("\(failures[1])", "MCP server 'unconfigured' failed: it is not configured; add it under "
                       + "mcp_servers in config.yaml; check its command in config.yaml")
    }
}
