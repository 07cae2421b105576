// `tokenworks serve` against hostile clients on loopback: it listens on 127.0.0.1 by default; with an API key
// every route checks it; oversized bodies, too-large max_tokens, malformed JSON and wrong types get a 4xx with
// a message naming the problem; hundreds of mutated request bodies never get a 5xx or take the server down.
import Foundation
import TestSupport
import XCTest

final class ServeHostileTests: XCTestCase {
    /// A running server with an API key, small limits, and its base URL.
    private final class Server {
        let process = Process()
        let base: String
        private let output = Pipe()

        init(_ harness: ChatHarness, key: String) throws {
            var env = ProcessInfo.processInfo.environment
            env.merge(harness.environment) { _, new in new }
            env["TW_TEST_KEY"] = key
            process.executableURL = harness.binary
            process.arguments = ["serve", "--port", "0", "--api-key-env", "TW_TEST_KEY", "--max-body-bytes", "8192",
                                 "--max-tokens", "8", "--parallel", "2", "--max-waiting", "2"]
            process.environment = env
            process.currentDirectoryURL = harness.home
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(60)
            while !text.contains("\n") && Date() < deadline && process.isRunning {
                text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            }
            guard let range = text.range(of: #"http://[^ ]+/v1"#, options: .regularExpression) else {
                throw ScreenFailure(what: "serve did not say where it listens: \(text)", screen: [])
            }
            base = String(text[range])
        }

        deinit {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    /// Runs the Python client checks against `base`; returns its lines.
    private func client(_ base: String, key: String, _ script: String) -> (status: Int32, lines: [String]) {
        let prelude = """
            import json, random, sys, urllib.request, urllib.error
            BASE, KEY = sys.argv[1], sys.argv[2]
            def call(method, path, body=None, key=KEY, raw=None, headers=None):
                data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
                request = urllib.request.Request(BASE + path, data=data, method=method)
                if key is not None: request.add_header("Authorization", "Bearer " + key)
                request.add_header("Content-Type", "application/json")
                for k, v in (headers or {}).items(): request.add_header(k, v)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        return response.status, response.read().decode("utf-8", "replace")
                except urllib.error.HTTPError as error:
                    return error.code, error.read().decode("utf-8", "replace")
            def message(text):
                try: return json.loads(text)["error"]["message"]
                except Exception: return None
            failures = 0
            def check(name, ok, detail=""):
                global failures
                print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail)); sys.stdout.flush()
                if not ok: failures += 1

            """
        let result = TestResources.python(prelude + script + "\nsys.exit(1 if failures else 0)\n", arguments: [base, key])
        return (result.status, result.output.split(separator: "\n").map(String.init))
    }

    func testEveryRouteChecksTheKeyAndBadRequestsGetAClearError() throws {
        let harness = try ChatHarness()
        let key = "sk-test-" + UUID().uuidString
        let server = try Server(harness, key: key)
        XCTAssertTrue(server.base.hasPrefix("http://127.0.0.1:"), "serve must listen on loopback by default: \(server.base)")
        let (status, lines) = client(server.base, key: key, """
            chat = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4}
            for method, path, body in [("GET", "/models", None), ("POST", "/chat/completions", chat),
                                       ("POST", "/completions", {"prompt": "Hi", "max_tokens": 2}),
                                       ("GET", "/nowhere", None), ("DELETE", "/models", None)]:
                for label, k in [("no key", None), ("wrong key", KEY[:-1] + "x"), ("short key", "sk"), ("empty", "")]:
                    code, text = call(method, path, body, key=k)
                    check(f"{method} {path} with {label} is 401", code == 401 and message(text) is not None, f"{code} {text[:200]}")
            code, text = call("GET", "/models")
            check("GET /models with the key is 200", code == 200, f"{code} {text[:200]}")
            cases = [
                ("malformed JSON", None, b'{"messages": [', 400, ""),
                ("not an object", ["x"], None, 400, ""),
                ("messages of the wrong type", {"messages": "hello"}, None, 400, "messages"),
                ("missing messages", {"model": "m"}, None, 400, "messages"),
                ("max_tokens not a number", dict(chat, max_tokens="ten"), None, 400, "max_tokens"),
                ("max_tokens above the limit", dict(chat, max_tokens=100000), None, 400, "max_tokens"),
                ("temperature out of range", dict(chat, temperature=9), None, 400, "temperature"),
                ("a message without role", {"messages": [{"content": "x"}]}, None, 400, "role"),
                ("stream not a boolean", dict(chat, stream="yes"), None, 400, "stream"),
                ("body over the size limit", dict(chat, pad="x" * 20000), None, 413, ""),
            ]
            for name, body, raw, expected, field in cases:
                code, text = call("POST", "/chat/completions", body, raw=raw)
                text_message = message(text) or ""
                check(name, code == expected and text_message and field in text_message, f"{code} {text[:300]}")
            code, text = call("POST", "/chat/completions", chat)
            check("a valid request still works", code == 200 and "choices" in text, f"{code} {text[:200]}")
            """)
        XCTAssertEqual(status, 0, lines.filter { $0.hasPrefix("FAIL") }.joined(separator: "\n"))
        XCTAssertGreaterThan(lines.filter { $0.hasPrefix("ok") }.count, 25)
    }

    func testMutatedRequestBodiesNeverGetA5xxAndTheServerStaysUp() throws {
        let harness = try ChatHarness()
        let key = "sk-test-" + UUID().uuidString
        let server = try Server(harness, key: key)
        let (status, lines) = client(server.base, key: key, """
            seed = json.dumps({"model": "m", "messages": [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi é"}], "max_tokens": 2, "temperature": 0, "stop": ["\\n"],
                "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object",
                "properties": {"x": {"type": "integer"}}}}}], "tool_choice": "auto", "stream": False}).encode()
            tokens = [b'{', b'}', b'[', b']', b'"', b':', b',', b'null', b'true', b'-1', b'1e999', b'"stream": true',
                      b'"max_tokens": 0', b'"n": 2', b'"role": "tool"', b'"content": [', b'\\\\u0000', b'\\\\ud800']
            rnd = random.Random(20261124)
            counts = {}
            for i in range(400):
                body = bytearray(seed)
                for _ in range(rnd.randint(1, 4)):
                    at = rnd.randrange(len(body) + 1)
                    kind = rnd.randrange(4)
                    if kind == 0 and body: body[min(at, len(body) - 1)] = rnd.randrange(256)
                    elif kind == 1: body[at:at] = rnd.choice(tokens)
                    elif kind == 2: del body[at:at + rnd.randint(1, 16)]
                    else: del body[at:]
                code, text = call("POST", "/chat/completions", raw=bytes(body))
                counts[code] = counts.get(code, 0) + 1
                if code >= 500 or (code >= 400 and not message(text)):
                    check(f"mutation {i}", False, f"{code} {text[:200]} for {bytes(body)[:200]!r}")
            code, _ = call("GET", "/models")
            check("the server is still up", code == 200, str(code))
            check("most mutations are refused", counts.get(400, 0) > 100, str(counts))
            print("status counts", counts)
            """)
        XCTAssertEqual(status, 0, lines.filter { $0.hasPrefix("FAIL") }.prefix(10).joined(separator: "\n"))
        XCTAssertTrue(server.process.isRunning)
    }
}
