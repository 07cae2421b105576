// Hyper-parameters of a model read from its GGUF metadata (the `{arch}.*` keys), validated once at load.
import GGUF

/// The numbers that shape the forward pass. Read once; every buffer size derives from these.
public struct ModelConfig: Sendable, Equatable {
    public var architecture: Architecture
    public var name: String
    /// Width of the residual stream (`{arch}.embedding_length`).
    public var embeddingLength: Int
    public var layerCount: Int
    public var feedForwardLength: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDimension: Int
    /// Dimensions that RoPE rotates (may be fewer than headDimension).
    public var ropeDimensions: Int
    public var ropeFrequencyBase: Float
    /// Linear RoPE scaling factor (positions are divided by it); 1 when the model has none.
    public var ropeLinearScale: Float
    public var rmsEpsilon: Float
    /// Context length the model was trained for.
    public var trainedContextLength: Int
    public var vocabularySize: Int

    public var kvDimension: Int { kvHeadCount * headDimension }
    public var queryDimension: Int { headCount * headDimension }

    public init(gguf file: GGUFFile) throws(InferenceError) {
        do {
            let archName = try file.string("general.architecture")
            guard let arch = Architecture(rawValue: archName) else {
                throw InferenceError.unsupportedArchitecture(archName)
            }
            architecture = arch
            name = try file.optionalString("general.name") ?? archName
            let p = archName + "."
            embeddingLength = try file.int(p + "embedding_length")
            layerCount = try file.int(p + "block_count")
            feedForwardLength = try file.int(p + "feed_forward_length")
            headCount = try file.int(p + "attention.head_count")
            kvHeadCount = try file.optionalInt(p + "attention.head_count_kv") ?? headCount
            let keyLength = try file.optionalInt(p + "attention.key_length")
            headDimension = keyLength ?? (headCount > 0 ? embeddingLength / headCount : 0)
            ropeDimensions = try file.optionalInt(p + "rope.dimension_count") ?? headDimension
            ropeFrequencyBase = try file.optionalFloat(p + "rope.freq_base") ?? 10000
            rmsEpsilon = try file.optionalFloat(p + "attention.layer_norm_rms_epsilon") ?? 1e-5
            trainedContextLength = try file.optionalInt(p + "context_length") ?? 2048
            let scalingType = try file.optionalString(p + "rope.scaling.type") ?? "none"
            let factor = try file.optionalFloat(p + "rope.scaling.factor") ?? 1
            switch scalingType {
            case "none": ropeLinearScale = 1
            case "linear": ropeLinearScale = factor > 0 ? factor : 1
            default:
                // YaRN and friends change attention magnitudes too; refuse rather than run silently wrong.
                if factor == 1 { ropeLinearScale = 1 } else {
                    throw InferenceError.unsupportedRopeScaling(scalingType)
                }
            }
            if let v = try file.optionalInt(p + "vocab_size") {
                vocabularySize = v
            } else if let tokens = file.value("tokenizer.ggml.tokens"), case .array(let a) = tokens {
                vocabularySize = a.count
            } else {
                vocabularySize = 0
            }
        } catch let e as InferenceError {
            throw e
        } catch let e as GGUFError {
            throw InferenceError.gguf(e)
        } catch {
            throw InferenceError.invalidConfig("unexpected error \(error)")
        }
        try validate()
    }

    /// Refuses shapes the forward pass cannot run, naming the key to look at.
    func validate() throws(InferenceError) {
        func bad(_ key: String, _ why: String) -> InferenceError {
            .invalidConfig("\(architecture.rawValue).\(key) \(why)")
        }
        guard embeddingLength > 0 else { throw bad("embedding_length", "must be positive") }
        guard layerCount > 0, layerCount <= 1024 else { throw bad("block_count", "must be in 1...1024") }
        guard feedForwardLength > 0 else { throw bad("feed_forward_length", "must be positive") }
        guard headCount > 0, kvHeadCount > 0, headCount % kvHeadCount == 0 else {
            throw bad("attention.head_count_kv", "must divide attention.head_count (\(headCount))")
        }
        guard headDimension > 0, headDimension % 2 == 0, headDimension <= 1024 else {
            throw bad("attention.key_length", "gives head size \(headDimension), which must be even and ≤ 1024")
        }
        guard ropeDimensions > 0, ropeDimensions <= headDimension, ropeDimensions % 2 == 0 else {
            throw bad("rope.dimension_count", "must be even and at most the head size \(headDimension)")
        }
        guard vocabularySize > 0 else { throw bad("vocab_size", "is missing and no tokenizer.ggml.tokens found") }
        guard ropeFrequencyBase > 0 else { throw bad("rope.freq_base", "must be positive") }
    }
}
