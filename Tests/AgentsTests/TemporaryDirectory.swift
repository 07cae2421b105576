// A real directory under the system's temporary folder for one test, removed when the test ends.
import Agents
import Foundation
import XCTest

/// A fresh directory with helpers to lay out files, links and FIFOs in it.
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenworks-agents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` at `relative`, creating folders.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent(relative).path,
                                                   withDestinationPath: destination)
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relative),
                                                withIntermediateDirectories: true)
    }

    func workspace() throws -> Workspace { try Workspace(root: path) }

    func context(confirm: @escaping ConfirmationHandler = { _ in false }) throws -> ToolContext {
        ToolContext(workspace: try workspace(), agent: "test", confirm: confirm)
    }
}

/// Runs `body` and returns the AgentsError it throws (failing the test if it throws nothing or something else).
func agentsError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> AgentsError? {
    do {
        _ = try body()
        XCTFail("expected an AgentsError", file: file, line: line)
    } catch let error as AgentsError {
        return error
    } catch {
        XCTFail("expected an AgentsError, got \(error)", file: file, line: line)
    }
    return nil
}

/// The async version of `agentsError`.
func agentsError<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> AgentsError? {
    do {
        _ = try await body()
        XCTFail("expected an AgentsError", file: file, line: line)
    } catch let error as AgentsError {
        return error
    } catch {
        XCTFail("expected an AgentsError, got \(error)", file: file, line: line)
    }
    return nil
}
