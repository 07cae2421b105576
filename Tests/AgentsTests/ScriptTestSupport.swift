// Helpers for the script tests: loading script text from a temporary folder, collecting a run's events, and an
// environment whose every model call is answered by one scripted backend.
import Agents
import Foundation
import Ledger
import TestSupport
import XCTest

/// A loader over an empty profile library in `dir` (only the built-in `default` profile exists).
func scriptLoader(_ dir: TemporaryDirectory) -> ScriptLoader {
    ScriptLoader(profiles: ProfileLibrary(directories: [dir.url.appendingPathComponent(".agents")],
                                          promptDirectories: [dir.url.appendingPathComponent(".prompts")]))
}

/// Writes `yaml` as `name` in `dir` and loads it (messages name the file `name`).
func loadScript(_ yaml: String, in dir: TemporaryDirectory, name: String = "script.yaml") throws -> Script {
    let url = try dir.write(name, yaml)
    return try scriptLoader(dir).parse(yaml: yaml, file: name, url: url)
}

/// The ScriptError `body` throws (failing the test when it throws nothing or something else).
func scriptError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> ScriptError? {
    do {
        _ = try body()
        XCTFail("expected a ScriptError", file: file, line: line)
    } catch let error as ScriptError {
        return error
    } catch {
        XCTFail("expected a ScriptError, got \(error)", file: file, line: line)
    }
    return nil
}

/// Collects script events (thread-safe).
final class ScriptRecorder: Sendable {
    private let storage = Locked<[ScriptEvent]>([])
    var sink: ScriptEventSink { ScriptEventSink { event in self.storage.mutate { $0.append(event) } } }
    var events: [ScriptEvent] { storage.value }

    /// Every finished call the events report.
    var records: [CallRecord] { events.compactMap(\.record) }

    /// Step and item starts and ends, as "start:name", "start:name[2]", "ok:name", "skipped:name[1]" ….
    var steps: [String] {
        events.compactMap { event in
            switch event {
            case .stepStarted(let info): return "start:" + info.title
            case .stepFinished(let outcome): return outcome.status.rawValue + ":" + outcome.info.title
            case .stepRetrying(let info, let attempt, _): return "retry\(attempt):" + info.title
            default: return nil
            }
        }
    }
}

/// An environment over `dir` where every model call is answered by `backend`.
func scriptEnvironment(_ dir: TemporaryDirectory, backend: ScriptedBackend, ledger: LedgerStore? = nil,
                       prices: PriceSheet? = nil) throws -> AgentEnvironment {
    AgentEnvironment(workspace: try dir.workspace(),
                     profiles: ProfileLibrary(directories: [dir.url.appendingPathComponent(".agents")],
                                              promptDirectories: []),
                     backends: { _ in backend }, ledger: ledger, prices: prices,
                     jsonInstructions: ToolCallFormat.defaultJSONInstructions)
}

/// Loads `yaml` and runs it with `backend`, inputs given as --var texts.
func runScript(_ yaml: String, in dir: TemporaryDirectory, backend: ScriptedBackend, vars: [String: String] = [:],
               stdin: String? = nil, ledger: LedgerStore? = nil,
               prices: PriceSheet? = nil) async throws -> (ScriptResult, ScriptRecorder) {
    let script = try loadScript(yaml, in: dir)
    let inputs = try ScriptInputs.resolve(script, given: vars.mapValues { .string($0) },
                                          standardInput: stdin.map { text in { text } }, workingDirectory: dir.url)
    let recorder = ScriptRecorder()
    let runner = ScriptRunner(environment: try scriptEnvironment(dir, backend: backend, ledger: ledger, prices: prices))
    let result = await runner.run(script, inputs: inputs, runID: "script-run", events: recorder.sink)
    return (result, recorder)
}
