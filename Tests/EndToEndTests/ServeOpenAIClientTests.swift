// The official `openai` Python client (from PyPI) against `tokenworks serve`: models, chat with and without
// streaming, tool calls, text completions, and the error bodies it decodes (ServeOpenAIClient.py).
import Foundation
import TestSupport
import XCTest

final class ServeOpenAIClientTests: XCTestCase {
    /// Installs `openai` with pip when missing; skips (saying why) only when PyPI cannot be reached.
    static func requireOpenAIPackage() throws {
        if TestResources.python("import openai").status == 0 { return }
        var result = TestResources.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet",
                                                        "--disable-pip-version-check", "openai"])
        if result.status != 0, result.output.contains("externally-managed") {
            result = TestResources.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet",
                                                        "--disable-pip-version-check", "--break-system-packages", "openai"])
        }
        guard result.status == 0, TestResources.python("import openai").status == 0 else {
            let text = result.output.lowercased()
            if text.contains("network") || text.contains("connection") || text.contains("resolve")
                || text.contains("no matching distribution") || text.contains("timed out") {
                throw XCTSkip("the openai package is not installed and PyPI cannot be reached: \(result.output.suffix(300))")
            }
            XCTFail("pip install openai failed: \(result.output.suffix(600))")
            return
        }
    }

    func testTheOfficialOpenAIClientWorksAgainstServe() throws {
        try Self.requireOpenAIPackage()
        let key = "tw-python-key"
        let server = try ServeHarness(["--api-key-env", "TW_SERVE_KEY"], extraEnvironment: ["TW_SERVE_KEY": key])
        defer { server.stop() }
        let script = TestResources.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/ServeOpenAIClient.py")
        let result = TestResources.run("/usr/bin/env", ["python3", script.path, server.baseURL, key, "smol"])
        XCTAssertEqual(result.status, 0, result.output + "\nserver said:\n" + server.printed)
        XCTAssertTrue(result.output.contains("openai-client checks: all 10 ok"), result.output)
    }
}
