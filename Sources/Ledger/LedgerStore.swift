// The ledger on disk: an SQLite file in WAL mode, written one call per transaction as each call ends.
// An actor, because the agent loop, sub-agents and the TUI all write and read it from different tasks.
import Foundation
internal import GRDB

/// The SQLite ledger of calls and sessions.
///
/// Each `record(_:)` is its own transaction, committed before it returns; with WAL and `synchronous=NORMAL` a
/// killed process loses at most the call in flight (a power cut may also lose the last few commits, never
/// the file's integrity). Several processes (a chat, `tokenworks log`) may open the same file at once.
/// Every failure is a `LedgerError` the caller can show and then carry on without a ledger.
public actor LedgerStore {
    /// The file this store reads and writes.
    public nonisolated let path: String
    private let pool: DatabasePool

    /// Opens (creating it and its folder if needed) the ledger at `path` and brings its schema up to date.
    public init(path: String) throws(LedgerError) {
        self.path = path
        self.pool = try Self.openPool(path: path)
    }

    /// Opens the ledger at the default place, `defaultPath()`.
    public init() throws(LedgerError) {
        try self.init(path: Self.defaultPath())
    }

    /// `$XDG_DATA_HOME/tokenworks/ledger.sqlite`, or `~/.local/share/tokenworks/ledger.sqlite` when
    /// XDG_DATA_HOME is unset or empty (the XDG base directory rule).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: URL
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            base = URL(fileURLWithPath: xdg)
        } else if let home = environment["HOME"], !home.isEmpty {
            base = URL(fileURLWithPath: home).appendingPathComponent(".local/share")
        } else {
            base = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        }
        return base.appendingPathComponent("tokenworks/ledger.sqlite").path
    }

    // MARK: Writing

    /// Writes one finished call in its own transaction. Call it as each call ends.
    public func record(_ record: CallRecord) throws(LedgerError) {
        try insert([record])
    }

    /// Writes `records` in one transaction: all or none (imports and tests).
    public func insert(_ records: [CallRecord]) throws(LedgerError) {
        var prepared: [(String, StatementArguments)] = []
        for record in records {
            if let (field, problem) = record.invariantViolation {
                throw LedgerError.invalidRecord(id: record.id, field: field, problem: problem)
            }
            prepared.append((record.id, try record.insertArguments()))
        }
        let path = self.path
        try perform {
            try pool.write { db in
                for (id, arguments) in prepared {
                    do {
                        try db.execute(sql: CallRecord.insertSQL, arguments: arguments)
                    } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                        throw LedgerError.duplicateRecord(path: path, id: id)
                    }
                }
            }
        }
    }

    /// Creates or updates (by id) a session.
    public func save(_ session: SessionRecord) throws(LedgerError) {
        try perform {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sessions (id, title, created_ms, model) VALUES (?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET title = excluded.title, model = excluded.model
                        """,
                    arguments: [session.id, session.title, session.createdMilliseconds, session.model])
            }
        }
    }

    // MARK: Reading

    /// The session with this id, if any.
    public func session(id: String) throws(LedgerError) -> SessionRecord? {
        try sessions(whereSQL: "WHERE id = ?", arguments: [id]).first
    }

    /// Sessions, most recently created first.
    public func sessions(limit: Int? = nil) throws(LedgerError) -> [SessionRecord] {
        try sessions(whereSQL: "ORDER BY created_ms DESC, rowid DESC LIMIT ?", arguments: [limit ?? -1])
    }

    private func sessions(whereSQL: String, arguments: StatementArguments) throws(LedgerError) -> [SessionRecord] {
        let path = self.path
        return try perform {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM sessions \(whereSQL)", arguments: arguments).map { row in
                    do {
                        return SessionRecord(id: try row.decode(forColumn: "id"), title: try row.decode(forColumn: "title"),
                                             createdMilliseconds: try row.decode(forColumn: "created_ms"),
                                             model: try row.decode(forColumn: "model"))
                    } catch {
                        throw LedgerError.invalidRow(path: path, id: (try? row.decode(String.self, forColumn: "id")) ?? "?",
                                                     column: "sessions", detail: "\(error)")
                    }
                }
            }
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, otherwise the problems it found.
    public func integrityCheck() throws(LedgerError) -> [String] {
        try perform {
            try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        }
    }

    // MARK: Plumbing

    /// Runs a GRDB operation, turning whatever it throws into a `LedgerError` about this file.
    func perform<T>(_ body: () throws -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch {
            throw Self.ledgerError(error, path: path)
        }
    }

    var readPool: DatabasePool { pool }

    private static func openPool(path: String) throws(LedgerError) -> DatabasePool {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw LedgerError.cannotCreateDirectory(path: directory.path, reason: LedgerError.reason(of: error))
        }
        // Say "read-only" up front rather than let SQLite report a bare "unable to open database file".
        let exists = FileManager.default.fileExists(atPath: path)
        if access(exists ? path : directory.path, W_OK) != 0 || (exists && access(directory.path, W_OK) != 0) {
            throw LedgerError.readOnly(path: path)
        }
        var configuration = Configuration()
        configuration.label = "tokenworks-ledger"
        // Other processes (another chat, `tokenworks log`) may hold the write lock for a moment.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL keeps the file consistent through crashes; only a power cut can lose the
            // last commits. FULL would fsync on every call for little gain.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw ledgerError(error, path: path)
        }
        do {
            let migrator = LedgerSchema.migrator
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(LedgerSchema.knownMigrations).sorted()
            }
            guard unknown.isEmpty else { throw LedgerError.schemaTooNew(path: path, unknownMigrations: unknown) }
            try migrator.migrate(pool)
        } catch {
            throw ledgerError(error, path: path)
        }
        return pool
    }

    /// Maps SQLite's result codes to the cases a user can act on.
    static func ledgerError(_ error: any Error, path: String) -> LedgerError {
        if let error = error as? LedgerError { return error }
        guard let error = error as? DatabaseError else {
            return .database(path: path, code: -1, message: "\(error)")
        }
        let message = error.message ?? "\(error)"
        switch error.resultCode {
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return .readOnly(path: path)
        case .SQLITE_FULL:
            return .diskFull(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .corrupt(path: path, detail: message)
        case .SQLITE_CANTOPEN:
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if access(directory, W_OK) != 0 { return .readOnly(path: path) }
            return .database(path: path, code: error.extendedResultCode.rawValue, message: message)
        case .SQLITE_IOERR:
            // A file made read-only (or immutable) under an open ledger fails as a bare "disk I/O error" on the
            // next write to its log: say read-only when that is what the files are.
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let files = [path, path + "-wal", path + "-shm", directory].filter { FileManager.default.fileExists(atPath: $0) }
            if files.contains(where: { access($0, W_OK) != 0 }) { return .readOnly(path: path) }
            return .database(path: path, code: error.extendedResultCode.rawValue, message: message)
        default:
            return .database(path: path, code: error.extendedResultCode.rawValue, message: message)
        }
    }
}
