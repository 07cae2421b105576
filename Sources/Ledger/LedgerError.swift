// The one error type of the Ledger target: the store, the record checks and the price sheet.
// Every case carries the file and the key or column at fault, and its text says what to do about it.
import Foundation

/// What went wrong while keeping or reading the ledger, or while reading the price sheet.
///
/// The agent loop treats every store error as non-fatal: it reports it once and keeps working, so the texts below
/// are written for a user who sees them in a status line and must know whether calls are still being recorded.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    // MARK: Store
    /// The folder that should hold the ledger could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The ledger file or its folder cannot be written (permissions, read-only file system, immutable folder).
    case readOnly(path: String)
    /// The disk (or the file system quota) is full.
    case diskFull(path: String)
    /// The file is not an SQLite database, or SQLite found it damaged.
    case corrupt(path: String, detail: String)
    /// The file was written by a newer Tokenworks whose schema this build does not know.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// A record with this id is already in the ledger.
    case duplicateRecord(path: String, id: String)
    /// A stored row cannot be read back as a record (a value of the wrong type or an unknown enum case).
    case invalidRow(path: String, id: String, column: String, detail: String)
    /// Any other SQLite failure, with SQLite's own result code and message.
    case database(path: String, code: Int32, message: String)
    /// A record handed to the store breaks an invariant (negative tokens, end before start …); it was not written.
    case invalidRecord(id: String, field: String, problem: String)
    /// An export could not be written to its destination.
    case exportFailed(destination: String, reason: String)

    // MARK: Price sheet
    /// The price file could not be read at all.
    case priceFileUnreadable(file: String, reason: String)
    /// The price file is not well-formed YAML.
    case priceFileSyntax(file: String, line: Int, column: Int, problem: String)
    /// A required key is absent; `line` is where the enclosing mapping starts.
    case priceMissingKey(file: String, line: Int, key: String)
    /// A key holds a value of the wrong kind or out of range.
    case priceInvalidValue(file: String, line: Int, key: String, expected: String, found: String)
    /// A key that the price sheet does not define (usually a typo).
    case priceUnknownKey(file: String, line: Int, key: String, allowed: [String])
    /// The same key appears twice in one mapping.
    case priceDuplicateKey(file: String, line: Int, key: String)
    /// A cloud model was asked for that the price sheet does not list.
    case unknownCloudModel(name: String, file: String, known: [String])

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the ledger folder \(path): \(reason); calls are not being recorded — "
                + "make the folder writable or point the ledger at another path"
        case .readOnly(let path):
            return "the ledger \(path) is read-only: calls are not being recorded — "
                + "make the file and its folder writable or point the ledger at another path"
        case .diskFull(let path):
            return "the disk holding the ledger \(path) is full: calls are not being recorded — free some space"
        case .corrupt(let path, let detail):
            return "the ledger \(path) is damaged or not an SQLite database (\(detail)): "
                + "move it aside and Tokenworks will start a new one"
        case .schemaTooNew(let path, let unknown):
            return "the ledger \(path) was written by a newer Tokenworks (unknown schema steps: "
                + "\(unknown.joined(separator: ", "))): upgrade Tokenworks or point the ledger at another path"
        case .duplicateRecord(let path, let id):
            return "the ledger \(path) already holds a call with id \(id): every call needs a fresh UUID"
        case .invalidRow(let path, let id, let column, let detail):
            return "the ledger \(path) has a row that cannot be read: call \(id), column \(column): \(detail)"
        case .database(let path, let code, let message):
            return "SQLite error \(code) on the ledger \(path): \(message)"
        case .invalidRecord(let id, let field, let problem):
            return "call record \(id) was not written: \(field) \(problem)"
        case .exportFailed(let destination, let reason):
            return "cannot write the export to \(destination): \(reason)"
        case .priceFileUnreadable(let file, let reason):
            return "cannot read the price sheet \(file): \(reason)"
        case .priceFileSyntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): the price sheet is not valid YAML: \(problem)"
        case .priceMissingKey(let file, let line, let key):
            return "\(file):\(line): the price sheet needs the key '\(key)'"
        case .priceInvalidValue(let file, let line, let key, let expected, let found):
            return "\(file):\(line): '\(key)' must be \(expected), found '\(found)'"
        case .priceUnknownKey(let file, let line, let key, let allowed):
            return "\(file):\(line): unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))"
        case .priceDuplicateKey(let file, let line, let key):
            return "\(file):\(line): '\(key)' is given twice; keep one"
        case .unknownCloudModel(let name, let file, let known):
            return "no price for the cloud model '\(name)' in \(file): add it under 'models' or pick one of: "
                + known.joined(separator: ", ")
        }
    }

    public var errorDescription: String? { description }

    /// A short reason for a file-system error: the POSIX text ("Permission denied") when there is one.
    static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
