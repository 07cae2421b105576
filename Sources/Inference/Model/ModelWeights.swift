// Views of a model's weights inside the mmapped GGUF file (quantized matrices) plus the small vectors
// (norms, biases) copied out as F32 once at load.
import GGUF
import Kernels

/// One transformer block's tensors.
public struct LayerWeights: @unchecked Sendable {
    /// (embeddingLength) RMSNorm weight before attention.
    public var attentionNorm: [Float]
    /// (queryDimension × embeddingLength) and friends: each row produces one output feature.
    public var query: WeightMatrix
    public var key: WeightMatrix
    public var value: WeightMatrix
    public var output: WeightMatrix
    /// Qwen2 projection biases, empty when absent.
    public var queryBias: [Float]
    public var keyBias: [Float]
    public var valueBias: [Float]
    /// (embeddingLength) RMSNorm weight before the feed-forward block.
    public var feedForwardNorm: [Float]
    /// (feedForwardLength × embeddingLength)
    public var gate: WeightMatrix
    public var up: WeightMatrix
    /// (embeddingLength × feedForwardLength)
    public var down: WeightMatrix
}

/// All weights of a llama-family model. The GGUF file is kept alive here so the matrix views stay valid.
public struct ModelWeights: @unchecked Sendable {
    public let file: GGUFFile
    /// (vocabularySize × embeddingLength) token embedding table; rows are dequantized on lookup.
    public var tokenEmbedding: WeightMatrix
    public var layers: [LayerWeights]
    /// (embeddingLength) final RMSNorm weight.
    public var outputNorm: [Float]
    /// (vocabularySize × embeddingLength) output head; the embedding table when the model ties them.
    public var output: WeightMatrix
    /// Per-dimension-pair RoPE frequency divisors (Llama 3.1 `rope_freqs.weight`), empty when absent.
    public var ropeFrequencyFactors: [Float]

    public init(file: GGUFFile, config: ModelConfig) throws(InferenceError) {
        self.file = file
        let d = config.embeddingLength
        tokenEmbedding = try Self.matrix(file, "token_embd.weight", rows: config.vocabularySize, columns: d)
        outputNorm = try Self.vector(file, "output_norm.weight", count: d)
        if file.tensor(named: "output.weight") != nil {
            output = try Self.matrix(file, "output.weight", rows: config.vocabularySize, columns: d)
        } else {
            output = tokenEmbedding
        }
        if file.tensor(named: "rope_freqs.weight") != nil {
            ropeFrequencyFactors = try Self.vector(file, "rope_freqs.weight", count: config.ropeDimensions / 2)
        } else {
            ropeFrequencyFactors = []
        }
        var layers: [LayerWeights] = []
        layers.reserveCapacity(config.layerCount)
        for i in 0..<config.layerCount {
            let p = "blk.\(i)."
            let bias = config.architecture.hasQKVBias
            layers.append(LayerWeights(
                attentionNorm: try Self.vector(file, p + "attn_norm.weight", count: d),
                query: try Self.matrix(file, p + "attn_q.weight", rows: config.queryDimension, columns: d),
                key: try Self.matrix(file, p + "attn_k.weight", rows: config.kvDimension, columns: d),
                value: try Self.matrix(file, p + "attn_v.weight", rows: config.kvDimension, columns: d),
                output: try Self.matrix(file, p + "attn_output.weight", rows: d, columns: config.queryDimension),
                queryBias: bias ? try Self.vector(file, p + "attn_q.bias", count: config.queryDimension) : [],
                keyBias: bias ? try Self.vector(file, p + "attn_k.bias", count: config.kvDimension) : [],
                valueBias: bias ? try Self.vector(file, p + "attn_v.bias", count: config.kvDimension) : [],
                feedForwardNorm: try Self.vector(file, p + "ffn_norm.weight", count: d),
                gate: try Self.matrix(file, p + "ffn_gate.weight", rows: config.feedForwardLength, columns: d),
                up: try Self.matrix(file, p + "ffn_up.weight", rows: config.feedForwardLength, columns: d),
                down: try Self.matrix(file, p + "ffn_down.weight", rows: d, columns: config.feedForwardLength)))
        }
        self.layers = layers
    }

    /// A quantized matrix view after checking its shape and type; ggml's dims are (columns, rows).
    static func matrix(_ file: GGUFFile, _ name: String, rows: Int, columns: Int) throws(InferenceError)
        -> WeightMatrix
    {
        guard let info = file.tensor(named: name) else { throw InferenceError.missingTensor(name) }
        guard info.dimensions.count == 2, info.dimensions[0] == columns, info.dimensions[1] == rows else {
            throw InferenceError.tensorShape(name: name, expected: [columns, rows], found: info.dimensions)
        }
        guard let format = WeightFormat(ggmlType: info.type.rawValue) else {
            throw InferenceError.unsupportedTensorType(name: name, type: info.type.name)
        }
        let bytes = file.unsafeTensorBytes(info)
        guard let base = bytes.baseAddress else { throw InferenceError.missingTensor(name) }
        do {
            return try WeightMatrix(base: base, format: format, rows: rows, columns: columns)
        } catch {
            throw InferenceError.kernels(error)
        }
    }

    /// A small tensor (norm weight, bias) converted to F32 whatever its stored type.
    static func vector(_ file: GGUFFile, _ name: String, count: Int) throws(InferenceError) -> [Float] {
        guard let info = file.tensor(named: name) else { throw InferenceError.missingTensor(name) }
        guard info.elementCount == count else {
            throw InferenceError.tensorShape(name: name, expected: [count], found: info.dimensions)
        }
        let m = try matrix(file, name, rows: 1, columns: count, dimensions: info.dimensions)
        var out = [Float](repeating: 0, count: count)
        let decoded = out.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let p = buf.baseAddress else { return false }
            return Dequantizer.decode(m.format, m.rowPointer(0), into: p, count: count)
        }
        guard decoded else { throw InferenceError.unsupportedTensorType(name: name, type: m.format.name) }
        return out
    }

    private static func matrix(_ file: GGUFFile, _ name: String, rows: Int, columns: Int, dimensions: [Int])
        throws(InferenceError) -> WeightMatrix
    {
        guard let info = file.tensor(named: name),
              let format = WeightFormat(ggmlType: info.type.rawValue)
        else {
            throw InferenceError.unsupportedTensorType(name: name, type: file.tensor(named: name)?.type.name ?? "?")
        }
        let bytes = file.unsafeTensorBytes(info)
        guard let base = bytes.baseAddress else { throw InferenceError.missingTensor(name) }
        do {
            return try WeightMatrix(base: base, format: format, rows: rows, columns: columns)
        } catch {
            throw InferenceError.kernels(error)
        }
    }
}
