// Turns raw terminal input (code points and keys the terminal library already decoded) into InputEvents:
// escape sequences the library does not know (bracketed paste, Alt-keys, modified arrows, SGR mouse) and control
// bytes. Pure and synchronous, so it is tested without a terminal.

/// One item read from the terminal.
public enum RawInput: Hashable, Sendable {
    /// A code point (possibly a control byte).
    case scalar(Unicode.Scalar)
    /// A key the terminal library recognised itself (arrows, function keys…).
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
    /// Nothing arrived within the short wait after an incomplete sequence.
    case timeout
}

/// Decodes raw input into events; keeps the state of an unfinished escape sequence or paste.
public struct InputDecoder: Sendable {
    private enum State: Sendable {
        case ground
        case escape
        case csi(String)
        case ss3
        case paste([Unicode.Scalar])
    }

    private var state: State = .ground

    public init() {}

    /// True while in the middle of a sequence: the caller should read again soon (and send `.timeout` if nothing
    /// comes) instead of blocking.
    public var isWaitingForMore: Bool {
        if case .ground = state { return false }
        return true
    }

    /// True while a bracketed paste is being collected (it may legitimately take a while).
    public var isInPaste: Bool {
        if case .paste = state { return true }
        return false
    }

    /// Feeds one raw item; returns the events it completes (often none or one).
    public mutating func feed(_ raw: RawInput) -> [InputEvent] {
        switch state {
        case .ground:
            return ground(raw)
        case .escape:
            state = .ground
            switch raw {
            case .scalar("["):
                state = .csi("")
                return []
            case .scalar("O"):
                state = .ss3
                return []
            case .scalar("\u{1B}"):
                state = .escape
                return [.key(.escape)]
            case .timeout:
                return [.key(.escape)]
            case .key(var key):
                key.modifiers.insert(.alt)
                return [.key(key)]
            default:
                return ground(raw).map { event in
                    guard case .key(var key) = event else { return event }
                    key.modifiers.insert(.alt)
                    return .key(key)
                }
            }
        case .csi(let body):
            guard case .scalar(let s) = raw else {
                state = .ground
                return literal("[" + body) + (raw == .timeout ? [] : ground(raw))
            }
            if (0x40...0x7E).contains(s.value) {
                state = .ground
                return csi(body, final: Character(s))
            }
            if body.count > 32 {  // not a sequence we know; give the bytes back as typed
                state = .ground
                return literal("[" + body + String(Character(s)))
            }
            state = .csi(body + String(Character(s)))
            return []
        case .ss3:
            state = .ground
            guard case .scalar(let s) = raw else { return [.key(.alt(.char("O")))] + ground(raw) }
            switch s {
            case "A": return [.key(.up)]
            case "B": return [.key(.down)]
            case "C": return [.key(.right)]
            case "D": return [.key(.left)]
            case "H": return [.key(.home)]
            case "F": return [.key(.end)]
            case "P", "Q", "R", "S": return [.key(.f(Int(s.value) - 0x50 + 1))]
            default: return [.key(.alt(.char("O")))] + ground(raw)
            }
        case .paste(var collected):
            switch raw {
            case .scalar(let s): collected.append(s)
            case .key(let k) where k == .enter: collected.append("\r")
            case .key(let k) where k == .tab: collected.append("\t")
            case .timeout, .key, .mouse, .resize: break
            }
            let end: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]
            if collected.last == "~", collected.count >= end.count, collected.suffix(end.count).elementsEqual(end) {
                state = .ground
                var text = String(String.UnicodeScalarView(collected.dropLast(end.count)))
                text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                return [.paste(text)]
            }
            state = .paste(collected)
            return []
        }
    }

    private mutating func ground(_ raw: RawInput) -> [InputEvent] {
        switch raw {
        case .timeout: return []
        case .key(let k): return [.key(k)]
        case .mouse(let m): return [.mouse(m)]
        case .resize(let s): return [.resize(s)]
        case .scalar(let s):
            switch s.value {
            case 0x1B:
                state = .escape
                return []
            case 0x0D: return [.key(.enter)]
            case 0x0A: return [.key(.ctrl("j"))]
            case 0x09: return [.key(.tab)]
            case 0x7F, 0x08: return [.key(.backspace)]
            case 0x00: return [.key(Key(.char(" "), modifiers: .ctrl))]
            case 0x01...0x1A:
                return [.key(.ctrl(Character(Unicode.Scalar(s.value + 0x60) ?? "?")))]
            case 0x1C...0x1F: return []
            default: return [.key(.char(Character(s)))]
            }
        }
    }

    /// Bytes of an unknown sequence given back as Alt plus the first character, then plain characters.
    private func literal(_ text: String) -> [InputEvent] {
        var out: [InputEvent] = []
        for (i, c) in text.enumerated() {
            out.append(.key(i == 0 ? .alt(.char(c)) : .char(c)))
        }
        return out
    }

    private mutating func csi(_ body: String, final: Character) -> [InputEvent] {
        if final == "~" && body == "200" {
            state = .paste([])
            return []
        }
        if final == "~" && body == "201" { return [] }  // stray paste end
        if (final == "M" || final == "m") && body.hasPrefix("<") {
            return sgrMouse(String(body.dropFirst()), pressed: final == "M")
        }
        let params = body.split(separator: ";").map { Int($0) ?? 0 }
        let modifiers = Self.modifiers(params.count > 1 ? params[1] : 1)
        let code: Key.Code?
        switch final {
        case "A": code = .up
        case "B": code = .down
        case "C": code = .right
        case "D": code = .left
        case "H": code = .home
        case "F": code = .end
        case "Z": return [.key(.backTab)]
        case "P", "Q", "R", "S": code = .function(Int(final.unicodeScalars.first?.value ?? 0x50) - 0x50 + 1)
        case "~":
            switch params.first ?? 0 {
            case 1, 7: code = .home
            case 2: code = .insert
            case 3: code = .delete
            case 4, 8: code = .end
            case 5: code = .pageUp
            case 6: code = .pageDown
            case 11...15: code = .function((params.first ?? 11) - 10)
            case 17...21: code = .function((params.first ?? 17) - 11)
            case 23, 24: code = .function((params.first ?? 23) - 12)
            default: code = nil
            }
        default: code = nil
        }
        guard let code else { return [] }
        return [.key(Key(code, modifiers: modifiers))]
    }

    /// xterm modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
    private static func modifiers(_ p: Int) -> Key.Modifiers {
        let bits = max(0, p - 1)
        var m: Key.Modifiers = []
        if bits & 1 != 0 { m.insert(.shift) }
        if bits & 2 != 0 { m.insert(.alt) }
        if bits & 4 != 0 { m.insert(.ctrl) }
        return m
    }

    private func sgrMouse(_ body: String, pressed: Bool) -> [InputEvent] {
        let p = body.split(separator: ";").compactMap { Int($0) }
        guard p.count == 3 else { return [] }
        let at = Point(x: p[1] - 1, y: p[2] - 1)
        switch p[0] & ~(4 | 8 | 16) {
        case 64: return [.mouse(MouseEvent(.wheelUp, at: at))]
        case 65: return [.mouse(MouseEvent(.wheelDown, at: at))]
        case let b where b < 3:
            return [.mouse(MouseEvent(pressed ? .press(button: b + 1) : .release(button: b + 1), at: at))]
        default: return []
        }
    }
}
