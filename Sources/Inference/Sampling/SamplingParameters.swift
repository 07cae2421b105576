// What a caller asks of the sampler; a plain value that travels with each request and into the ledger.

/// Sampling settings. `temperature <= 0` means greedy (always the most likely token); the other filters apply in
/// llama.cpp's order: penalties → top-k → top-p → min-p → temperature → draw.
public struct SamplingParameters: Sendable, Equatable, Codable {
    public var temperature: Float
    /// Keep only the k most likely tokens (0 disables).
    public var topK: Int
    /// Keep the smallest set of tokens whose probability reaches p (1 disables).
    public var topP: Float
    /// Drop tokens less likely than minP × the most likely one (0 disables).
    public var minP: Float
    /// Divides positive (multiplies negative) logits of recently seen tokens (1 disables).
    public var repetitionPenalty: Float
    /// Subtracted once from the logit of every recently seen token (0 disables).
    public var presencePenalty: Float
    /// Subtracted per occurrence of a recently seen token (0 disables).
    public var frequencyPenalty: Float
    /// How many recent tokens the penalties look at.
    public var penaltyWindow: Int
    /// Fixes the random stream so a run can be repeated exactly; nil draws a fresh seed.
    public var seed: UInt64?

    public init(temperature: Float = 0.7, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repetitionPenalty: Float = 1, presencePenalty: Float = 0, frequencyPenalty: Float = 0,
                penaltyWindow: Int = 64, seed: UInt64? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.penaltyWindow = penaltyWindow
        self.seed = seed
    }

    /// Always the most likely token; what tests and reproducible agent runs use.
    public static let greedy = SamplingParameters(temperature: 0)

    public var isGreedy: Bool { temperature <= 0 }
    public var hasPenalties: Bool { repetitionPenalty != 1 || presencePenalty != 0 || frequencyPenalty != 0 }

    /// Rejects values that would make sampling meaningless, naming the flag.
    public func validate() throws(InferenceError) {
        guard temperature.isFinite, temperature >= 0 else {
            throw .invalidParameter(name: "temperature", value: "\(temperature)", expected: "a number ≥ 0")
        }
        guard topK >= 0 else { throw .invalidParameter(name: "top-k", value: "\(topK)", expected: "≥ 0") }
        guard topP > 0, topP <= 1 else {
            throw .invalidParameter(name: "top-p", value: "\(topP)", expected: "a number in (0, 1]")
        }
        guard minP >= 0, minP < 1 else {
            throw .invalidParameter(name: "min-p", value: "\(minP)", expected: "a number in [0, 1)")
        }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else {
            throw .invalidParameter(name: "repeat-penalty", value: "\(repetitionPenalty)", expected: "a number > 0")
        }
        guard penaltyWindow >= 0 else {
            throw .invalidParameter(name: "penalty window", value: "\(penaltyWindow)", expected: "≥ 0")
        }
    }
}
