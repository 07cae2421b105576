// The one error type of the Inference target: loading, tokenizing, templating and generating.
import Foundation
import GGUF
import Kernels

/// What went wrong in the runtime, with the tensor, key or count involved and what the user can do.
public enum InferenceError: Error, CustomStringConvertible, LocalizedError, Sendable {
    case gguf(GGUFError)
    case kernels(KernelsError)
    case unsupportedArchitecture(String)
    case unsupportedRopeScaling(String)
    case invalidConfig(String)
    case missingTensor(String)
    case tensorShape(name: String, expected: [Int], found: [Int])
    case unsupportedTensorType(name: String, type: String)
    case tokenizer(String)
    case template(String)
    case emptyPrompt
    case contextOverflow(promptTokens: Int, contextSize: Int)
    case invalidParameter(name: String, value: String, expected: String)
    case vocabularyMismatch(String)
    case cancelled

    public var description: String {
        switch self {
        case .gguf(let e): return e.description
        case .kernels(let e): return e.description
        case .unsupportedArchitecture(let a):
            let known = Architecture.allCases.map(\.rawValue).joined(separator: ", ")
            return "model architecture '\(a)' is not supported (supported: \(known)); use a llama-family GGUF"
        case .unsupportedRopeScaling(let t):
            return "RoPE scaling type '\(t)' is not supported yet; only linear scaling (or none) is"
        case .invalidConfig(let why):
            return "invalid model metadata: \(why); the GGUF file may be corrupt or from an unsupported converter"
        case .missingTensor(let name):
            return "tensor '\(name)' is missing from the model file; it is incomplete or not a llama-family model"
        case .tensorShape(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found), expected \(expected); the metadata and weights disagree"
        case .unsupportedTensorType(let name, let type):
            return "tensor '\(name)' has type \(type), which Tokenworks cannot compute with yet; "
                + "requantize the model (tokenworks quantize IN OUT Q8_0)"
        case .tokenizer(let why): return "tokenizer: \(why)"
        case .template(let why): return "chat template: \(why)"
        case .emptyPrompt: return "the prompt is empty: give some text to generate from"
        case .contextOverflow(let prompt, let context):
            return "the prompt is \(prompt) tokens but the context holds \(context): shorten the conversation "
                + "(/clear) or raise --context"
        case .invalidParameter(let name, let value, let expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case .vocabularyMismatch(let why):
            return "the draft model cannot draft for this model: \(why)"
        case .cancelled: return "generation was cancelled"
        }
    }

    public var errorDescription: String? { description }
}
