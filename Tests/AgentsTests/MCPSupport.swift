// What MCP tests need: the real `mcp-server-time` server from PyPI (installed on first use), and its config.
import Agents
import Foundation
import TestSupport
import XCTest

enum MCPSupport {
    /// Makes sure `python3 -m mcp_server_time` can run: pip installs it when missing; skips the test (saying
    /// why) only when PyPI cannot be reached.
    static func requireTimeServer() throws {
        if TestResources.python("import mcp_server_time").status == 0 { return }
        var result = TestResources.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet",
                                                        "--disable-pip-version-check", "mcp-server-time"])
        if result.status != 0, result.output.contains("externally-managed") {
            result = TestResources.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet",
                                                        "--disable-pip-version-check", "--break-system-packages",
                                                        "mcp-server-time"])
        }
        guard result.status == 0, TestResources.python("import mcp_server_time").status == 0 else {
            let text = result.output.lowercased()
            if text.contains("network") || text.contains("connection") || text.contains("resolve")
                || text.contains("no matching distribution") || text.contains("timed out") {
                throw XCTSkip("mcp-server-time is not installed and PyPI cannot be reached: \(result.output.suffix(300))")
            }
            XCTFail("pip install mcp-server-time failed: \(result.output.suffix(600))")
            throw XCTSkip("mcp-server-time unavailable")
        }
    }

    /// The time server as config.yaml would give it, pinned to UTC.
    static func timeServer(allow: [String] = []) -> MCPServerConfig {
        MCPServerConfig(name: "time", command: "python3", arguments: ["-m", "mcp_server_time", "--local-timezone", "UTC"],
                        allow: allow, timeout: 60)
    }
}
