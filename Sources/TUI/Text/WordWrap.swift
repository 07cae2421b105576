// Word wrap by display width, correct for wide and combining characters: breaks at spaces, hard-breaks words
// longer than the width, keeps explicit newlines. The transcript and the editor both lay out text with it.

/// One visual line produced by wrapping, with the source graphemes it covers so a cursor can be placed on it.
public struct WrappedLine: Hashable, Sendable {
    /// What to draw (spaces swallowed at a soft break are not included).
    public var text: String
    /// Offset, in graphemes, of the line's first grapheme in the wrapped text.
    public var start: Int
    /// Graphemes of the source this line covers, including spaces swallowed at its soft break but not the
    /// newline that ends its paragraph.
    public var count: Int
    public init(text: String, start: Int, count: Int) {
        self.text = text
        self.start = start
        self.count = count
    }
}

/// Wraps text to a column width.
public enum WordWrap {
    public enum Mode: Hashable, Sendable {
        /// Break at spaces; words wider than the line are broken between graphemes.
        case words
        /// Break between any two graphemes and keep every space (code blocks).
        case characters
    }

    /// The wrapped lines as plain strings.
    public static func wrap(_ text: String, width: Int, mode: Mode = .words) -> [String] {
        lines(text, width: width, mode: mode).map(\.text)
    }

    /// The wrapped lines with their source ranges. `width` below 1 is treated as 1, so every grapheme is placed
    /// and the result is never empty (an empty text is one empty line).
    public static func lines(_ text: String, width: Int, mode: Mode = .words) -> [WrappedLine] {
        let width = max(1, width)
        var out: [WrappedLine] = []
        var paragraph: [Character] = []
        var offset = 0
        for ch in text {
            if ch == "\n" || ch == "\r\n" {
                wrapParagraph(paragraph, base: offset, width: width, mode: mode, into: &out)
                offset += paragraph.count + 1
                paragraph.removeAll(keepingCapacity: true)
            } else {
                paragraph.append(ch)
            }
        }
        wrapParagraph(paragraph, base: offset, width: width, mode: mode, into: &out)
        return out
    }

    private static func wrapParagraph(
        _ chars: [Character], base: Int, width: Int, mode: Mode, into out: inout [WrappedLine]
    ) {
        if chars.isEmpty {
            out.append(WrappedLine(text: "", start: base, count: 0))
            return
        }
        var lineStart = 0
        var lineWidth = 0
        func emit(upTo end: Int, consumed: Int, soft: Bool) {
            var visible = chars[lineStart..<end]
            if soft && mode == .words {
                while visible.last == " " { visible.removeLast() }
            }
            out.append(WrappedLine(text: String(visible), start: base + lineStart, count: consumed - lineStart))
            lineStart = consumed
            lineWidth = 0
        }
        func placeGraphemes(_ range: Range<Int>) {
            for k in range {
                let w = DisplayWidth.of(chars[k])
                if lineWidth + w > width && k > lineStart { emit(upTo: k, consumed: k, soft: false) }
                lineWidth += w
            }
        }
        if mode == .characters {
            placeGraphemes(0..<chars.count)
            emit(upTo: chars.count, consumed: chars.count, soft: false)
            return
        }
        var i = 0
        let n = chars.count
        while i < n {
            var j = i
            if chars[i] == " " {
                while j < n && chars[j] == " " { j += 1 }
                let runWidth = j - i
                if lineWidth + runWidth <= width {
                    lineWidth += runWidth
                } else if lineWidth == 0 && i == lineStart {
                    placeGraphemes(i..<j)  // indentation wider than the line
                } else {
                    emit(upTo: i, consumed: j, soft: true)  // the run is swallowed by the break
                }
                i = j
                continue
            }
            while j < n && chars[j] != " " { j += 1 }
            let wordWidth = DisplayWidth.of(String(chars[i..<j]))
            if lineWidth + wordWidth <= width {
                lineWidth += wordWidth
            } else {
                if lineWidth > 0 { emit(upTo: i, consumed: i, soft: true) }
                if wordWidth <= width {
                    lineWidth = wordWidth
                } else {
                    placeGraphemes(i..<j)
                }
            }
            i = j
        }
        emit(upTo: n, consumed: n, soft: false)
    }
}
