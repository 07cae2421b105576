// What can go wrong in the interactive chat's own bookkeeping (session files, budgets, exports), with messages
// that say what to do. Runtime errors keep their own types (InferenceError, AgentsError, LedgerError).
import Foundation

/// Failures of the chat session layer: saving and resuming sessions, parsing budgets, exporting transcripts.
enum ChatError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// `--resume ID` named a session that is not in the sessions folder.
    case sessionNotFound(id: String, directory: String, recent: [String])
    /// `--resume` without an id, but no session was ever saved.
    case noSessions(directory: String)
    /// An id prefix that matches more than one session.
    case ambiguousSession(id: String, matches: [String])
    /// A session file that cannot be read or decoded.
    case sessionUnreadable(file: String, reason: String)
    /// A session file that cannot be written.
    case sessionUnwritable(file: String, reason: String)
    /// A `/budget` or `--budget` value that is neither dollars nor tokens.
    case invalidBudget(String)
    /// `/save` could not write the markdown file.
    case exportFailed(file: String, reason: String)

    var description: String {
        switch self {
        case .sessionNotFound(let id, let directory, let recent):
            let hint = recent.isEmpty ? "no sessions are saved there yet"
                : "recent sessions: " + recent.joined(separator: ", ")
            return "no session '\(id)' in \(directory) (\(hint)): run `tokenworks chat --resume` for the latest one"
        case .noSessions(let directory):
            return "no saved sessions in \(directory): start one with `tokenworks chat`"
        case .ambiguousSession(let id, let matches):
            return "session id '\(id)' matches \(matches.count) sessions (\(matches.prefix(5).joined(separator: ", "))): "
                + "type more of the id"
        case .sessionUnreadable(let file, let reason):
            return "cannot read session file \(file): \(reason): move the file away or resume another session"
        case .sessionUnwritable(let file, let reason):
            return "cannot save the session to \(file): \(reason): check that the folder is writable "
                + "(XDG_DATA_HOME decides where it is)"
        case .invalidBudget(let text):
            return "'\(text)' is not a budget: use dollars ($0.50) or tokens (20k, 1.5M, 20000); 'off' removes it"
        case .exportFailed(let file, let reason):
            return "cannot write \(file): \(reason): give /save another path"
        }
    }

    var errorDescription: String? { description }
}
