// `tokenworks quantize` writes files llama.cpp itself loads and generates from: each target type is made from
// the real default model and handed to llama.cpp's llama-completion (the oracle), and to our own engine.
// Needs llama.cpp's binaries (`bash bench/setup-llama.sh`, or TOKENWORKS_LLAMA_BIN_DIR); skips without them.
import Foundation
import TestSupport
import XCTest

final class QuantizeLlamaCppTests: XCTestCase {
    /// llama.cpp's bin folder: TOKENWORKS_LLAMA_BIN_DIR, else where bench/setup-llama.sh puts it.
    private func llamaCompletion() throws -> URL {
        var dirs: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["TOKENWORKS_LLAMA_BIN_DIR"], !explicit.isEmpty {
            dirs.append(URL(fileURLWithPath: explicit))
        }
        dirs.append(TestResources.cacheDirectory.appendingPathComponent("llama.cpp/bin"))
        for dir in dirs {
            let binary = dir.appendingPathComponent("llama-completion")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw XCTSkip("llama.cpp's llama-completion not found in " + dirs.map(\.path).joined(separator: ", ")
                      + ": run `bash bench/setup-llama.sh` or set TOKENWORKS_LLAMA_BIN_DIR")
    }

    /// Quantizes the default model to `type` with our binary and returns the output path (in a temp folder).
    private func quantize(_ type: String, into folder: URL) throws -> String {
        let binary = try ChatHarness.locateBinary()
        let model = try TestResources.requireDefaultModel()
        let out = folder.appendingPathComponent("smol-\(type).gguf").path
        let (status, output) = TestResources.run(binary.path, ["quantize", model, out, type])
        XCTAssertEqual(status, 0, "tokenworks quantize \(type): \(output)")
        return out
    }

    /// Runs llama-completion greedily for 8 tokens after "Hello": its exit status, the text (stdout) and its log
    /// (stderr, verbose so the loader lists the tensor types it read).
    private func completion(_ binary: URL, model: String, log: URL) -> (status: Int32, text: String, log: String) {
        var env = ProcessInfo.processInfo.environment
        env["TW_LOG"] = log.path
        let arguments = ["-m", model, "-p", "Hello", "-n", "8", "-no-cnv", "--temp", "0", "-t", "2", "--no-warmup",
                         "--simple-io", "-s", "1", "-v"]
        let (status, text) = TestResources.run("/bin/bash", ["-c", "exec \"$@\" 2>\"$TW_LOG\"", "llama", binary.path]
                                               + arguments, environment: env)
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (status, text, logText)
    }

    func testEveryQuantizedTypeLoadsAndGeneratesInLlamaCpp() throws {
        let llama = try llamaCompletion()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-quantize-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // llama.cpp's names for the types in its loader's tensor summary ("- type q4_K:  16 tensors").
        for (type, ggmlName) in [("Q8_0", "q8_0"), ("Q4_0", "q4_0"), ("Q4_1", "q4_1"), ("Q4_K", "q4_K")] {
            let path = try quantize(type, into: folder)
            let run = completion(llama, model: path, log: folder.appendingPathComponent("\(type).log"))
            let tail = String(run.log.suffix(1500))
            XCTAssertEqual(run.status, 0, "llama-completion on our \(type) file failed:\n\(tail)")
            XCTAssertTrue(run.log.contains("- type \(ggmlName):"), "llama.cpp read no \(type) tensors:\n\(tail)")
            // The timing summary counts one decode run per generated token: "eval time = … /     8 runs".
            XCTAssertNotNil(run.log.range(of: #"eval time = .*/ +8 runs"#, options: .regularExpression),
                            "llama.cpp did not generate 8 tokens from our \(type) file:\n\(tail)")
            XCTAssertTrue(run.text.hasPrefix("Hello"), "llama.cpp printed no completion of our \(type) file: \(run.text)")
            XCTAssertGreaterThan(run.text.trimmingCharacters(in: .whitespacesAndNewlines).count, "Hello".count,
                                 "llama.cpp generated only whitespace from our \(type) file")
        }
    }
}
