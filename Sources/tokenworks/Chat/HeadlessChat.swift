// `tokenworks chat --headless` (hidden): the chat runtime of the full-screen chat — sessions, ledger, agents,
// cache reuse — driven line by line from stdin with no terminal, for the soak and durability scripts.
import Foundation
import Inference
import Ledger
import TUI

/// Runs the same `ChatRuntime` as `ChatApp`, one stdin line per turn (a message, or a slash command such as
/// `/clear`), and prints what happens as lines a script can read: the reply text, then `# call N recorded` for
/// each call the ledger committed (so a script that kills the process knows which calls must have survived)
/// and `# turn N done` when the turn is over.
///
/// Why a mode of its own rather than `--plain`: the line chat has no ledger and no sessions, and the runtime
/// under the TUI is what must be shown to survive a thousand turns and a SIGKILL.
struct HeadlessChat {
    var model: ChatModel
    var session: SessionFile
    var resumed: Bool
    var configuration: ChatRuntime.Configuration
    var store: SessionStore

    /// Runs until stdin ends or a line is `/quit`; returns the session as saved last.
    func run() async throws -> SessionFile {
        let inbox = EventInbox()
        let ledger: LedgerStore?
        do {
            ledger = try LedgerStore()
        } catch {
            ledger = nil
            Self.emit("# warning: running without a ledger: \(error)")
        }
        let (prices, pricesProblem) = ProjectFiles.priceSheet()
        if let pricesProblem { Self.emit("# warning: costs show as $0: \(pricesProblem)") }
        let runtime = ChatRuntime(
            inbox: inbox, configuration: configuration, model: model, session: session, store: store,
            ledger: ledger, prices: prices, profiles: .standard(),
            workspaceRoot: FileManager.default.currentDirectoryPath)
        await runtime.start(resumed: resumed, themes: [])
        let opened = await runtime.session
        Self.emit("# session \(opened.id) (\(opened.transcript.count) entries)")
        Self.show(inbox.drain())
        var recorded = await runtime.sessionRecords.count
        var turns = 0
        while let line = readLine(strippingNewline: true) {
            if line == "/quit" { break }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("/") {
                do {
                    await runtime.handle(.command(try SlashCommand.parse(line)))
                } catch {
                    Self.emit("# error: \(error)")
                }
            } else {
                await runtime.handle(.submit(line))
            }
            repeat {
                try? await Task.sleep(nanoseconds: 5_000_000)
                Self.show(inbox.drain())
                let count = await runtime.sessionRecords.count
                while recorded < count {
                    recorded += 1
                    Self.emit("# call \(recorded) recorded")
                }
            } while await runtime.isBusy
            Self.show(inbox.drain())
            turns += 1
            Self.emit("# turn \(turns) done")
        }
        await runtime.finish()
        await runtime.shutdownEngine()
        return await runtime.session
    }

    /// Prints the transcript text and the notices of `events`; panes are not drawn.
    private static func show(_ events: [AppEvent]) {
        for event in events {
            switch event {
            case .transcript(.append(let entry)) where entry.role != .user:
                if entry.streaming { write(entry.text) } else { emit("[\(entry.role.rawValue)] \(entry.text)") }
            case .transcript(.stream(let piece)):
                write(piece)
            case .transcript(.finishStreaming):
                write("\n")
            case .notice(let notice):
                emit("# notice: \(notice.text)")
            default:
                break
            }
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func emit(_ line: String) {
        write(line + "\n")
    }
}
