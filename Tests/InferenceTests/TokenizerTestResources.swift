// The real inputs of the tokenizer tests, skipping (not failing) when TOKENWORKS_OFFLINE=1 and one is absent.
import Foundation
import TestSupport
import XCTest

enum TokenizerTestResources {
    /// llama.cpp's models folder with the ggml-vocab-*.gguf files.
    static func conformanceDirectory() throws -> URL {
        do {
            return try TestResources.conformanceModelsDirectory()
        } catch where TestResources.offline {
            throw XCTSkip("offline and llama.cpp's conformance material is not cached: \(error)")
        }
    }

    /// The default model's path.
    static func defaultModel() throws -> String {
        do {
            return try TestResources.requireDefaultModel()
        } catch where TestResources.offline {
            throw XCTSkip("offline and the default model is absent: \(error)")
        }
    }
}
