// Sampling and length flags shared by every command that generates.
import ArgumentParser
import Inference

struct GenerationOptions: ParsableArguments {
    @Option(name: .long, help: "Sampling temperature; 0 means greedy.")
    var temperature: Float = 0.7
    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0 = off).")
    var topK: Int = 40
    @Option(name: .customLong("top-p"), help: "Nucleus sampling threshold (1 = off).")
    var topP: Float = 0.95
    @Option(name: .customLong("min-p"), help: "Drop tokens below min-p × the top probability (0 = off).")
    var minP: Float = 0.05
    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty over the last 64 tokens (1 = off).")
    var repeatPenalty: Float = 1
    @Option(name: .customLong("presence-penalty"), help: "Presence penalty (0 = off).")
    var presencePenalty: Float = 0
    @Option(name: .customLong("frequency-penalty"), help: "Frequency penalty (0 = off).")
    var frequencyPenalty: Float = 0
    @Option(name: .long, help: "Random seed; the same seed repeats a sampled answer exactly.")
    var seed: UInt64?
    @Option(name: .customLong("max-tokens"), help: "Stop after this many generated tokens.")
    var maxTokens: Int = 512
    @Option(name: .long, help: "Stop when the text reaches this string (repeatable).")
    var stop: [String] = []
    @Option(name: .long, help: "Speculative decoding: none, lookup, self[:LAYERS], draft (needs --draft-model), or a '+' combination such as lookup+draft. Changes speed, never the output.")
    var spec: String = "lookup"

    func parameters() throws -> GenerationParameters {
        let s = SamplingParameters(temperature: temperature, topK: topK, topP: topP, minP: minP,
                                   repetitionPenalty: repeatPenalty, presencePenalty: presencePenalty,
                                   frequencyPenalty: frequencyPenalty, seed: seed)
        try s.validate()
        guard maxTokens > 0 else {
            throw InferenceError.invalidParameter(name: "--max-tokens", value: "\(maxTokens)", expected: "≥ 1")
        }
        return GenerationParameters(maxTokens: maxTokens, sampling: s, stopSequences: stop,
                                    speculation: try SpeculationOptions(parsing: spec))
    }
}
