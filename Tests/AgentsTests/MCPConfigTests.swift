// config.yaml: remote endpoints and MCP servers, read with errors that name the file, line and key.
import Agents
import XCTest

final class MCPConfigTests: XCTestCase {
    func testEndpointsAndServersAreRead() throws {
        let config = try AgentsConfig.parse(yaml: """
            endpoints:
              cluster:
                base_url: http://gpu-box:8000/v1
                model: Qwen/Qwen2.5-7B-Instruct
                api_key_env: CLUSTER_KEY
                timeout_seconds: 60
                max_retries: 5
                native_tools: false
            mcp_servers:
              time:
                command: python3
                args: [-m, mcp_server_time]
                allow: [get_current_time]
            """, file: "config.yaml")
        let cluster = try XCTUnwrap(config.endpoints["cluster"])
        XCTAssertEqual(cluster.model, "Qwen/Qwen2.5-7B-Instruct")
        XCTAssertEqual(cluster.apiKeyVariable, "CLUSTER_KEY")
        XCTAssertEqual(cluster.timeout, 60)
        XCTAssertEqual(cluster.maxRetries, 5)
        XCTAssertFalse(cluster.nativeTools)
        XCTAssertEqual(try config.remoteEndpoint(for: "cluster"), cluster)
        XCTAssertNil(try config.remoteEndpoint(for: "SmolLM2.gguf"))
        let time = try XCTUnwrap(config.mcpServers["time"])
        XCTAssertEqual(time.arguments, ["-m", "mcp_server_time"])
        XCTAssertTrue(time.allows("get_current_time"))
        XCTAssertFalse(time.allows("convert_time"))
    }

    func testAnUnknownKeyIsNamedWithItsLine() {
        XCTAssertThrowsError(try AgentsConfig.parse(yaml: "endpoints:\n  a:\n    base_url: http://h/v1\n    model: m\n    colour: red\n",
                                                    file: "config.yaml")) { error in
            XCTAssertEqual("\(error)", "config.yaml:5: 'endpoints.a.colour' is not a known key; allowed keys: base_url, model, "
                           + "api_key_env, timeout_seconds, max_retries, backoff_seconds, native_tools, headers")
        }
    }

    func testAMissingBaseURLIsNamed() {
        XCTAssertThrowsError(try AgentsConfig.parse(yaml: "endpoints:\n  a:\n    model: m\n", file: "c.yaml")) { error in
            XCTAssertEqual("\(error)", "c.yaml:3: 'endpoints.a.base_url' is missing: give the API root, such as "
                           + "http://127.0.0.1:8000/v1")
        }
    }

    func testProfilesMayNameMCPServers() throws {
        let profile = try AgentProfile.parse(yaml: "system: Tell the time.\ntools: [mcp:time, calculator]\n",
                                             file: "clock.yaml", defaultName: "clock", promptDirectories: [])
        XCTAssertEqual(profile.tools, ["mcp:time", "calculator"])
        XCTAssertEqual(MCPToolbox.servers(named: [profile]), ["time"])
    }
}
