// How `tokenworks run` shows progress on stderr: on a terminal, the running step's line is redrawn in place
// (items, tokens, time, cost) and kept when the step ends; otherwise one plain line when a step starts, retries
// and ends. Notices and budget warnings are printed between the lines.
import Agents
import Foundation

/// The stderr side of `tokenworks run`.
struct RunProgressDisplay {
    let terminal: Bool
    private var progress = ScriptProgress()
    /// The step whose line is drawn (without a newline) at the bottom, on a terminal.
    private var live: Int?
    private var lastDraw = Date.distantPast

    init(terminal: Bool) { self.terminal = terminal }

    mutating func show(_ event: ScriptEvent) {
        let changed = progress.apply(event)
        switch event {
        case .stepStarted(let info) where info.path.count == 1 && info.item == nil:
            guard let index = changed else { return }
            if terminal {
                live = index
                draw(force: true)
            } else {
                write("[\(info.number)/\(info.count)] \(info.name): started (\(info.kind)"
                      + (info.items.map { ", \($0) items" } ?? "") + ")\n")
            }
        case .stepRetrying(let info, let attempt, let reason) where info.path.count == 1:
            if terminal {
                draw(force: true)
            } else {
                write("[\(info.number)/\(info.count)] \(info.title): retrying (attempt \(attempt)): "
                      + String(reason.prefix(200)) + "\n")
            }
        case .stepFinished(let outcome) where outcome.info.path.count == 1 && outcome.info.item == nil:
            guard let index = changed else { return }
            if terminal {
                clearLine()
                write(progress.line(index) + "\n")
                live = nil
            } else {
                write(progress.line(index, symbols: false) + "\n")
            }
        case .agent(.notice(let text), _):
            above("note: \(text)")
        case .agent(.budgetWarning(_, let exhaustion), let path):
            above("budget warning in \(path.joined(separator: " › ")): \(exhaustion.kind.rawValue) "
                  + "\(Int(exhaustion.used)) of \(Int(exhaustion.limit))")
        default:
            if changed != nil, changed == live { draw(force: false) }
        }
    }

    /// Redraws the live line (its time moves even when no token arrives).
    mutating func tick() { draw(force: true) }

    /// Leaves the cursor on a fresh line.
    mutating func end() {
        if terminal, live != nil {
            write("\n")
            live = nil
        }
    }

    private mutating func draw(force: Bool) {
        guard terminal, let live else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        clearLine()
        write(Self.fit(progress.line(live, now: now), to: Self.terminalWidth()))
    }

    /// A line printed above the live one.
    private mutating func above(_ text: String) {
        if terminal, live != nil {
            clearLine()
            write(text + "\n")
            draw(force: true)
        } else {
            write(text + "\n")
        }
    }

    private func clearLine() { write("\r\u{1B}[K") }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// `text` cut to `width` characters, so a redrawn line never wraps.
    static func fit(_ text: String, to width: Int) -> String {
        text.count < width ? text : String(text.prefix(max(1, width - 2))) + "…"
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
