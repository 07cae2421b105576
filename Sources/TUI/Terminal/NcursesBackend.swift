// The only importer of CNcursesw: sets the terminal up (locale first, raw mode, keypad, mouse, bracketed paste),
// draws changed cells with colour pairs allocated on demand, reads wide-character input, and restores the
// terminal on every exit path (restore(), deinit, signals, atexit).
import CNcursesw
import Foundation

/// A real terminal driven by ncurses (wide-character build).
public final class NcursesBackend: TerminalBackend {
    public private(set) var colorCapability: ColorCapability
    private var screen: OpaquePointer?
    private var decoder = InputDecoder()
    private var pending: [InputEvent] = []
    /// Colour pairs by (foreground, background) ncurses colour number; 0 is the terminal default.
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private let maxPairs: Int16
    /// Consecutive reads that failed at once (not by timeout): input has gone away.
    private var immediateFailures = 0

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    /// Takes over the terminal. Throws when stdin/stdout are not a terminal or TERM is unusable.
    public init() throws(TUIError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw .terminalUnavailable(reason: "standard input and output must be a terminal")
        }
        setlocale(LC_ALL, "")  // before ncurses starts, or wide characters come out as bytes
        setenv("ESCDELAY", "25", 0)  // Esc answers in 25 ms instead of a second
        tw_install_restore_hooks()
        guard let screen = tw_newterm() else {
            let term = ProcessInfo.processInfo.environment["TERM"] ?? "(unset)"
            throw .terminalUnavailable(reason: "ncurses does not know TERM=\(term)")
        }
        self.screen = screen
        tw_set_terminal_active(1)
        raw()
        noecho()
        nonl()  // Enter arrives as CR and Ctrl-J as LF, so they can mean different things
        keypad(tw_stdscr(), true)
        intrflush(tw_stdscr(), false)
        if has_colors() {
            start_color()
            use_default_colors()
            colorCapability = ColorCapability(colorCount: Int(tw_colors()))
        } else {
            colorCapability = .none
        }
        maxPairs = Int16(clamping: min(Int(tw_color_pairs()) - 1, Int(Int16.max)))
        mousemask(tw_mouse_all_events(), nil)
        mouseinterval(0)
        curs_set(0)
        tw_write_terminal("\u{1B}[?2004h")  // bracketed paste: a paste arrives as one event
    }

    deinit { restore() }

    public var size: Size {
        Size(width: Int(tw_width()), height: Int(tw_height()))
    }

    public func restore() {
        guard screen != nil else { return }
        mousemask(0, nil)
        curs_set(1)
        tw_emergency_restore()
        if let screen { delscreen(screen) }
        screen = nil
    }

    // MARK: Drawing

    public func draw(_ changes: [CellChange], cursor: Point?) {
        guard screen != nil else { return }
        let win = tw_stdscr()
        for change in changes where !change.cell.isContinuation {
            put(change.cell, x: change.x, y: change.y)
        }
        if let cursor {
            wmove(win, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wrefresh(win)
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let (attributes, pair) = attributesAndPair(for: cell.style)
        var scalars = Self.drawableScalars(cell.symbol).map { wchar_t(bitPattern: $0.value) }
        if scalars.isEmpty { scalars = [wchar_t(0x20)] }
        var cc = cchar_t()
        var ok = false
        if scalars.count < Int(tw_ccharw_max()) {
            ok = (scalars + [0]).withUnsafeBufferPointer { setcchar(&cc, $0.baseAddress, attributes, pair, nil) }
                == tw_ok()
        }
        if !ok {
            // A cluster ncurses cannot hold (long ZWJ sequences): draw its first code point, which has the width.
            let first: [wchar_t] = [scalars[0], 0]
            _ = first.withUnsafeBufferPointer { setcchar(&cc, $0.baseAddress, attributes, pair, nil) }
        }
        mvwadd_wch(tw_stdscr(), Int32(y), Int32(x), &cc)
    }

    /// The code points to send for a grapheme: the base plus the marks that combine with it. Emoji ZWJ sequences,
    /// skin-tone modifiers and tag sequences are cut to their first emoji, because terminals disagree on how wide
    /// the whole cluster is (tmux draws 👩‍💻 as 4 columns); the base keeps the 2 columns the layout assumed.
    static func drawableScalars(_ symbol: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for s in symbol.unicodeScalars {
            if out.isEmpty {
                out.append(s)
                continue
            }
            if s.value == 0x200D || (0x1F3FB...0x1F3FF).contains(s.value) || (0xE0000...0xE007F).contains(s.value) {
                break
            }
            switch s.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: out.append(s)
            default:
                if (0x1F1E6...0x1F1FF).contains(s.value) { out.append(s) } else { return out }
            }
        }
        return out
    }

    private func attributesAndPair(for style: Style) -> (attr_t, Int16) {
        var a = tw_a_normal()
        let s = style.attributes
        if s.contains(.bold) { a |= tw_a_bold() }
        if s.contains(.dim) { a |= tw_a_dim() }
        if s.contains(.italic) { a |= tw_a_italic() }
        if s.contains(.underline) { a |= tw_a_underline() }
        if s.contains(.reverse) { a |= tw_a_reverse() }
        guard colorCapability != .none else { return (a, 0) }
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return (a, 0) }
        if let p = pairs[key] { return (a, p) }
        guard nextPair <= maxPairs else { return (a, 0) }  // out of pairs: default colours, still readable
        let p = nextPair
        nextPair += 1
        init_pair(p, key.foreground, key.background)
        pairs[key] = p
        return (a, p)
    }

    /// The ncurses colour number (-1: terminal default).
    private func colorNumber(_ c: Color) -> Int16 {
        let colors = Int(tw_colors())
        switch c {
        case .default: return -1
        case .ansi(let n): return Int16(Int(n) < colors ? n : n & 7)
        case .indexed(let n): return Int16(Int(n) < colors ? Int(n) : Int(c.ansi16Index) & (colors >= 16 ? 15 : 7))
        case .rgb(let r, let g, let b):
            return colorNumber(colors >= 256 ? .indexed(Color.nearestIndex256(r, g, b)) : .ansi(c.ansi16Index))
        }
    }

    // MARK: Input

    public func readEvent(timeoutMilliseconds: Int) throws(TUIError) -> InputEvent? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard screen != nil else { throw .inputClosed }
        let win = tw_stdscr()
        var pasteWaits = 0
        while true {
            let wait = decoder.isInPaste ? 200 : decoder.isWaitingForMore ? 30 : max(0, timeoutMilliseconds)
            wtimeout(win, Int32(clamping: wait))
            let started = DispatchTime.now().uptimeNanoseconds
            var ch: wint_t = 0
            let rc = wget_wch(win, &ch)
            let raw: RawInput
            if rc == tw_err() {
                let elapsedMs = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
                if wait >= 20 && elapsedMs < wait / 4 {
                    immediateFailures += 1
                    if immediateFailures > 50 { throw .inputClosed }
                }
                if decoder.isInPaste {
                    pasteWaits += 1
                    // A paste whose end marker never comes (a broken terminal) is closed after 2 s of silence.
                    if pasteWaits < 10 { continue }
                    var flushed: [InputEvent] = []
                    for s in "\u{1B}[201~".unicodeScalars { flushed += decoder.feed(.scalar(s)) }
                    return deliver(flushed)
                }
                if !decoder.isWaitingForMore { return nil }
                raw = .timeout
            } else {
                immediateFailures = 0
                pasteWaits = 0
                if rc == tw_key_code_yes() {
                    raw = keyInput(Int32(truncatingIfNeeded: ch))
                } else {
                    raw = .scalar(Unicode.Scalar(UInt32(truncatingIfNeeded: ch)) ?? "\u{FFFD}")
                }
            }
            let events = decoder.feed(raw)
            if !events.isEmpty { return deliver(events) }
            if raw == .timeout && !decoder.isWaitingForMore { return nil }
        }
    }

    private func deliver(_ events: [InputEvent]) -> InputEvent? {
        guard let first = events.first else { return nil }
        pending += events.dropFirst()
        return first
    }

    /// Maps an ncurses key code (KEY_*) to raw input.
    private func keyInput(_ code: Int32) -> RawInput {
        if code == tw_key_resize() { return .resize(size) }
        if code == tw_key_mouse() { return mouseInput() }
        for n in 1...12 where code == tw_key_f(Int32(n)) { return .key(.f(n)) }
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_IC: return .key(Key(.insert))
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_SLEFT: return .key(Key(.left, modifiers: .shift))
        case KEY_SRIGHT: return .key(Key(.right, modifiers: .shift))
        default: return modifiedKey(code)
        }
    }

    /// Extended keys ncurses names like "kLFT5" (Ctrl-Left): the digit is xterm's modifier parameter.
    private func modifiedKey(_ code: Int32) -> RawInput {
        guard let cName = keyname(code) else { return .timeout }
        let name = String(cString: cName)
        let bases: [(String, Key.Code)] = [
            ("kLFT", .left), ("kRIT", .right), ("kUP", .up), ("kDN", .down), ("kHOM", .home), ("kEND", .end),
            ("kPRV", .pageUp), ("kNXT", .pageDown), ("kDC", .delete),
        ]
        for (prefix, keyCode) in bases where name.hasPrefix(prefix) {
            guard let p = Int(name.dropFirst(prefix.count)), p >= 2 else { continue }
            let bits = p - 1
            var m: Key.Modifiers = []
            if bits & 1 != 0 { m.insert(.shift) }
            if bits & 2 != 0 { m.insert(.alt) }
            if bits & 4 != 0 { m.insert(.ctrl) }
            return .key(Key(keyCode, modifiers: m))
        }
        return .timeout
    }

    private func mouseInput() -> RawInput {
        var event = MEVENT()
        guard getmouse(&event) == tw_ok() else { return .timeout }
        let at = Point(x: Int(event.x), y: Int(event.y))
        if event.bstate & tw_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, at: at)) }
        let button5 = tw_button5_pressed()
        if button5 != 0 && event.bstate & button5 != 0 { return .mouse(MouseEvent(.wheelDown, at: at)) }
        if event.bstate & tw_button1_pressed() != 0 { return .mouse(MouseEvent(.press(button: 1), at: at)) }
        if event.bstate & tw_button1_released() != 0 { return .mouse(MouseEvent(.release(button: 1), at: at)) }
        return .timeout
    }
}
