// Reads the llama.cpp reference fixtures in Tests/Fixtures/reference (see make-goldens.sh there).
import Foundation

/// One reference run: the prompt text, llama.cpp's prompt ids and its greedy continuation.
public struct GreedyReference: Sendable {
    public var name: String
    public var prompt: String
    public var promptIDs: [Int32]
    public var generatedIDs: [Int32]
}

public enum ReferenceFixtures {
    public static let names = ["capital", "haiku", "hashmap", "code", "multiturn", "unicode"]

    public static func greedy(_ name: String) throws -> GreedyReference {
        let dir = TestResources.fixture("reference")
        let prompt = try String(contentsOf: dir.appendingPathComponent("prompt-\(name).txt"), encoding: .utf8)
        let data = try Data(contentsOf: dir.appendingPathComponent("greedy-\(name).json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let p = (object["prompt_ids"] as? [Int] ?? []).map(Int32.init)
        let g = (object["generated_ids"] as? [Int] ?? []).map(Int32.init)
        return GreedyReference(name: name, prompt: prompt, promptIDs: p, generatedIDs: g)
    }

    /// The messages (OpenAI JSON shape) a reference prompt was rendered from.
    public static func messages(_ name: String) throws -> [[String: String]] {
        let url = TestResources.fixture("reference").appendingPathComponent("prompt-\(name).json")
        let data = try Data(contentsOf: url)
        return try JSONSerialization.jsonObject(with: data) as? [[String: String]] ?? []
    }

    /// llama.cpp's first-step logits for the "capital" prompt.
    public static func firstLogitsCapital() throws -> [Float] {
        let data = try Data(contentsOf: TestResources.fixture("reference/first-logits-capital.f32"))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
