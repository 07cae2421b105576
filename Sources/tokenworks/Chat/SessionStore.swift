// The sessions folder (`$XDG_DATA_HOME/tokenworks/sessions`): one JSON file per session, replaced atomically on
// every save so a crash leaves either the old or the new file, never half of one.
import Foundation

/// Reads and writes saved chat sessions.
struct SessionStore: Sendable {
    let directory: URL

    init(directory: URL) { self.directory = directory }

    /// `~/.local/share/tokenworks/sessions` (XDG_DATA_HOME respected).
    static func standard() -> SessionStore {
        SessionStore(directory: Paths.data.appendingPathComponent("sessions"))
    }

    func file(for id: String) -> URL { directory.appendingPathComponent(id + ".json") }

    /// Writes `session` (creating the folder on first use).
    func save(_ session: SessionFile) throws(ChatError) {
        let url = file(for: session.id)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(session).write(to: url, options: .atomic)
        } catch {
            throw .sessionUnwritable(file: url.path, reason: error.localizedDescription)
        }
    }

    /// The session with this id, or the only one whose id starts with it.
    func load(id: String) throws(ChatError) -> SessionFile {
        let exact = file(for: id)
        if FileManager.default.fileExists(atPath: exact.path) { return try read(exact) }
        let ids = savedIDs()
        let matches = ids.filter { $0.hasPrefix(id) }
        if matches.count == 1 { return try read(file(for: matches[0])) }
        if matches.count > 1 { throw .ambiguousSession(id: id, matches: matches) }
        throw .sessionNotFound(id: id, directory: directory.path, recent: Array(ids.suffix(5).reversed()))
    }

    /// The most recently saved session.
    func latest() throws(ChatError) -> SessionFile {
        let candidates = savedIDs().map { id -> (String, Date) in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file(for: id).path)
            return (id, (attributes?[.modificationDate] as? Date) ?? .distantPast)
        }
        // Newest file first; ids sort by creation time, which breaks ties.
        guard let newest = candidates.max(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else {
            throw .noSessions(directory: directory.path)
        }
        return try read(file(for: newest.0))
    }

    /// Ids of every saved session, oldest first.
    func savedIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    private func read(_ url: URL) throws(ChatError) -> SessionFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .sessionUnreadable(file: url.path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let session: SessionFile
        do { session = try decoder.decode(SessionFile.self, from: data) } catch {
            throw .sessionUnreadable(file: url.path, reason: "not a session file (\(Self.describe(error)))")
        }
        guard session.version <= SessionFile.currentVersion else {
            throw .sessionUnreadable(file: url.path, reason: "written by a newer Tokenworks (format \(session.version))")
        }
        return session
    }

    /// A decoding error as a short phrase naming the key path.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return error.localizedDescription }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \(([path(context)] + [key.stringValue]).filter { !$0.isEmpty }.joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong value at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
