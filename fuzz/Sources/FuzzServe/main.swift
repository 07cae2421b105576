// Fuzz target: request bodies of `tokenworks serve`'s POST /v1/chat/completions, through the same service the
// HTTP route calls, on the real model (TOKENWORKS_MODEL; generation capped at one token). A body is answered,
// or refused with a 4xx ServerError whose message says what is wrong; a 5xx or a crash is a finding.
import Dispatch
import Foundation
import FuzzSupport
import Inference
import Server

guard let path = ProcessInfo.processInfo.environment["TOKENWORKS_MODEL"], !path.isEmpty,
      let engine = try? InferenceEngine(path: path, options: EngineOptions(threads: 1, contextSize: 512,
                                                                            maxSequences: 1)) else {
    fuzzFailure("set TOKENWORKS_MODEL to a GGUF file (the default model) to fuzz serve's request bodies")
}
let service = ModelService(
    engine: engine,
    configuration: ServerConfiguration(maxTokens: 1, maxRunning: 1, maxWaiting: 0, modelName: "fuzz"),
    ledger: nil, prices: nil)

/// Carries the outcome out of the task (written once, read after the semaphore).
final class Outcome: @unchecked Sendable {
    var failure: String?
}

runFuzzer { bytes in
    let text = String(fuzzInput: bytes)
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    // Detached: top-level code runs on the main actor, which the semaphore below blocks; a plain Task would
    // inherit it and never start (the target hung on its first input).
    Task.detached {
        do {
            if case .events(let produce) = try await service.chatCompletions(text) {
                await produce { _ in }
            }
        } catch let error as ServerError {
            if error.status >= 500 { outcome.failure = "5xx for a request body: \(error)" }
            if error.description.isEmpty { outcome.failure = "empty message" }
        } catch {
            outcome.failure = "not a ServerError: \(error)"
        }
        done.signal()
    }
    done.wait()
    if let failure = outcome.failure { fuzzFailure(failure) }
}
