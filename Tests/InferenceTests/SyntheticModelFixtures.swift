// Writes the tiny synthetic models of Tests/Fixtures/synthetic at test time (make-model.py, once per process)
// and reads llama.cpp's references for them, checking that each file is byte for byte the one the references
// were made from.
import Foundation
import Inference
import TestSupport
import XCTest

/// llama.cpp's run of one synthetic model on one prompt (ref-synth.cpp's output).
struct SyntheticPromptReference: Decodable {
    var promptIDs: [TokenID]
    var generatedIDs: [TokenID]
    /// Each greedy step's best logit (that of the token chosen) in llama.cpp.
    var greedyLogits: [Float]
    /// Each greedy step's gap between the best and the second-best logit in llama.cpp.
    var greedyMargins: [Float]
    var firstLogits: [Float]
    /// How far llama.cpp's own first-step logits move when it reads the prompt one token at a time: its
    /// rounding noise on this model (0 when no rounding decision happened to differ).
    var llamaCppSelfDifference: Float?

    enum CodingKeys: String, CodingKey {
        case promptIDs = "prompt_ids", generatedIDs = "generated_ids", greedyLogits = "greedy_logits"
        case greedyMargins = "greedy_margins"
        case firstLogits = "first_logits", llamaCppSelfDifference = "llama_cpp_self_difference"
    }
}

/// One model of models.txt with its references (ref/NAME.json).
struct SyntheticModelReference: Decodable {
    var model: String
    var arch: String
    var weightType: String
    var flags: [String]
    var sha256: String
    var madeWith: String
    var prompts: [String: SyntheticPromptReference]

    enum CodingKeys: String, CodingKey {
        case model, arch, flags, sha256, prompts
        case weightType = "weight_type", madeWith = "made_with"
    }
}

/// A generated model file next to the references it must reproduce.
struct SyntheticModel {
    var reference: SyntheticModelReference
    var path: String

    /// Transformer blocks (make-model.py's --layers=N, 4 without it).
    var layers: Int {
        for flag in reference.flags where flag.hasPrefix("--layers=") {
            if let n = Int(flag.dropFirst("--layers=".count)) { return n }
        }
        return 4
    }
}

/// Why the synthetic models could not be provided; each message says what to do.
enum SyntheticModelError: Error, CustomStringConvertible {
    case pythonUnavailable(output: String)
    case generatorFailed(status: Int32, output: String)
    case checksumMismatch(model: String, expected: String, found: String, versions: String, madeWith: String)
    case missingModel(String)

    var description: String {
        switch self {
        case .pythonUnavailable(let output):
            return "the synthetic-model tests need python3 with numpy and gguf to write their models: "
                + "pip install gguf==0.19.0 numpy (or set TOKENWORKS_OFFLINE=1 to skip them); python said: "
                + output.suffix(400)
        case .generatorFailed(let status, let output):
            return "Tests/Fixtures/synthetic/make-model.py failed (exit \(status)): \(output.suffix(600))"
        case .checksumMismatch(let model, let expected, let found, let versions, let madeWith):
            return "make-model.py wrote \(model).gguf with SHA-256 \(found), but its llama.cpp references were "
                + "made from \(expected) (\(madeWith)); here: \(versions). Install the versions the references "
                + "name, or, if the generator changed on purpose, run Tests/Fixtures/synthetic/make-references.sh"
        case .missingModel(let name):
            return "make-model.py did not report \(name).gguf: is models.txt in step with ref/\(name).json?"
        }
    }
}

enum SyntheticModels {
    static var directory: URL { TestResources.fixture("synthetic") }

    /// Model names in the order of models.txt.
    static func names() throws -> [String] {
        let text = try String(contentsOf: directory.appendingPathComponent("models.txt"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard let first = fields.first, !first.hasPrefix("#") else { return nil }
            return String(first)
        }
    }

    static func reference(_ name: String) throws -> SyntheticModelReference {
        let data = try Data(contentsOf: directory.appendingPathComponent("ref/\(name).json"))
        return try JSONDecoder().decode(SyntheticModelReference.self, from: data)
    }

    nonisolated(unsafe) private static var cached: Result<[SyntheticModel], any Error>?
    nonisolated(unsafe) private static var outputDirectory: URL?
    private static let lock = NSLock()

    /// Deletes the generated files (about 12 MB); a later `all()` writes them again.
    static func removeFiles() {
        lock.lock(); defer { lock.unlock() }
        if let dir = outputDirectory { try? FileManager.default.removeItem(at: dir) }
        outputDirectory = nil
        cached = nil
    }

    /// Every model of models.txt, written once per process into a temporary directory and checked against the
    /// SHA-256 its references record. Throws XCTSkip without python when TOKENWORKS_OFFLINE=1.
    static func all() throws -> [SyntheticModel] {
        lock.lock(); defer { lock.unlock() }
        if cached == nil { cached = Result { try generate() } }
        switch cached {
        case .success(let models): return models
        case .failure(let error): throw error
        case nil: return []
        }
    }

    private static func generate() throws -> [SyntheticModel] {
        let probe = TestResources.python(
            "import importlib.metadata as m, numpy, gguf; print('numpy', m.version('numpy') + ',', 'gguf', m.version('gguf'))")
        guard probe.status == 0 else {
            if TestResources.offline { throw XCTSkip("python3 with numpy and gguf is missing (TOKENWORKS_OFFLINE=1)") }
            throw SyntheticModelError.pythonUnavailable(output: probe.output)
        }
        let versions = probe.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tokenworks-synthetic-\(UUID())")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        outputDirectory = out
        let run = TestResources.run("/usr/bin/env", [
            "python3", directory.appendingPathComponent("make-model.py").path, "--batch",
            directory.appendingPathComponent("models.txt").path, out.path,
        ])
        guard run.status == 0 else { throw SyntheticModelError.generatorFailed(status: run.status, output: run.output) }
        var digests: [String: String] = [:]
        for line in run.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 { digests[String(fields[0])] = String(fields[1]) }
        }
        return try names().map { name in
            let reference = try reference(name)
            guard let digest = digests[name] else { throw SyntheticModelError.missingModel(name) }
            guard digest == reference.sha256 else {
                throw SyntheticModelError.checksumMismatch(model: name, expected: reference.sha256, found: digest,
                                                           versions: versions, madeWith: reference.madeWith)
            }
            return SyntheticModel(reference: reference, path: out.appendingPathComponent("\(name).gguf").path)
        }
    }
}
