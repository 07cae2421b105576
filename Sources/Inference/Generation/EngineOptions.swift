// How an engine is set up: threads, context, how many sequences may share the model.
import Foundation

/// Settings of one loaded model.
public struct EngineOptions: Sendable, Equatable {
    /// Worker threads for the kernels; defaults to the machine's physical cores.
    public var threads: Int
    /// Positions one sequence may use; 0 means the model's trained context, capped at 8192 to bound memory.
    public var contextSize: Int
    /// Sequences that may decode together in one forward pass (continuous batching).
    public var maxSequences: Int
    /// Prompt tokens prefilled per step, over all joining sequences, while others are decoding, so those keep
    /// streaming: a step then costs at most one chunk more than a decode step. 128 rows fill the prefill tiles
    /// (64 tokens) twice, so a chunked prompt is processed nearly as fast as a whole one.
    public var prefillChunk: Int
    /// Finished sequences whose cache is kept for prefix reuse (chat turns, shared system prompts).
    public var retainedSequences: Int
    /// Jinja source replacing the model's own chat template (a file from prompts/templates/).
    public var chatTemplateOverride: String?
    /// A smaller GGUF with the same vocabulary, loaded to draft for speculative decoding (`--spec draft`).
    public var draftModelPath: String?

    public init(threads: Int = EngineOptions.physicalCores, contextSize: Int = 0, maxSequences: Int = 8,
                prefillChunk: Int = 128, retainedSequences: Int = 16, chatTemplateOverride: String? = nil, draftModelPath: String? = nil) {
        self.draftModelPath = draftModelPath
        self.threads = threads
        self.contextSize = contextSize
        self.maxSequences = maxSequences
        self.prefillChunk = prefillChunk
        self.retainedSequences = retainedSequences
        self.chatTemplateOverride = chatTemplateOverride
    }

    /// Physical cores (hyper-threads share execution units and only add contention to these kernels).
    public static var physicalCores: Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            var cores = Set<String>()
            var physical = "0"
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                if parts[0] == "physical id" { physical = parts[1] }
                if parts[0] == "core id" { cores.insert(physical + "/" + parts[1]) }
            }
            if !cores.isEmpty { return min(cores.count, ProcessInfo.processInfo.activeProcessorCount) }
        }
        #endif
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
