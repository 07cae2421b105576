// Scanners for the families llama.cpp splits with std::regex on its "collapsed" text (every non-ASCII
// character replaced by a byte standing for its category). Each reproduces the ECMAScript match the regex
// finds: alternatives tried in order, greedy quantifiers with backtracking; unmatched code points are left
// as gaps, which become words of their own.

extension PreTokenizer {
    /// `\s*[\r\n]+|\s+(?!\S)|\s+` at `pos`: the match end, or nil when `pos` is not whitespace.
    @inline(__always)
    static func whitespaceEnd(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
                              _ pos: Int, _ b: Int) -> Int? {
        var end = pos
        var lastLineBreak = -1
        while end < b && flags[end] & CodepointFlags.whitespace != 0 {
            if cps[end] == 0x0A || cps[end] == 0x0D { lastLineBreak = end }
            end += 1
        }
        if end == pos { return nil }
        if lastLineBreak >= 0 { return lastLineBreak + 1 } // `\s*[\r\n]+` backtracks to the last line break
        if end - pos > 1 && end < b { return end - 1 } // `\s+(?!\S)`
        return end
    }

    /// `(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?` at `pos`: the position after it.
    @inline(__always)
    static func afterContraction(_ cps: UnsafeBufferPointer<UInt32>, _ pos: Int, _ b: Int) -> Int {
        pos < b ? pos + contractionLength(cps, pos, b, caseInsensitive: true) : pos
    }

    /// GPT-4o's pattern family (see `Stage.gpt4o`).
    static func splitGPT4o(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
                           _ a: Int, _ b: Int, maxDigits: Int, contractions: Bool, marks: Bool, caseless: Bool,
                           _ out: inout Emitter) {
        let letterBits = CodepointFlags.letter | (marks ? CodepointFlags.mark : 0)
        let ws = CodepointFlags.whitespace, letter = CodepointFlags.letter, number = CodepointFlags.number
        // Upper-ish: a letter that is not a-z; lower-ish: a letter that is not A-Z (non-ASCII letters are both,
        // because the collapsed text no longer knows their case).
        @inline(__always) func upper(_ i: Int) -> Bool {
            flags[i] & letterBits != 0 && (caseless || !(cps[i] >= 0x61 && cps[i] <= 0x7A))
        }
        @inline(__always) func lower(_ i: Int) -> Bool {
            flags[i] & letterBits != 0 && (caseless || !(cps[i] >= 0x41 && cps[i] <= 0x5A))
        }
        @inline(__always) func other(_ i: Int) -> Bool { flags[i] & (ws | letter | number) == 0 }
        var pos = a
        while pos < b {
            let c = cps[pos]
            // Letters, with an optional leading [^\r\n\p{L}\p{N}].
            let prefixable = c != 0x0A && c != 0x0D && flags[pos] & (letter | number) == 0
            let s = prefixable ? pos + 1 : pos
            if s < b {
                var u = s
                while u < b && upper(u) { u += 1 }
                var end = -1
                if u < b && lower(u) {
                    end = u
                    while end < b && lower(end) { end += 1 }
                } else {
                    var k = u - 1
                    while k >= s && !lower(k) { k -= 1 }
                    if k >= s { end = k + 1 } else if u > s { end = u }
                }
                if end > 0 {
                    if contractions { end = afterContraction(cps, end, b) }
                    out.emit(pos)
                    out.emit(end)
                    pos = end
                    continue
                }
            }
            // `\p{N}{1,maxDigits}`
            if flags[pos] & number != 0 {
                var end = pos
                while end < b && end - pos < maxDigits && flags[end] & number != 0 { end += 1 }
                out.emit(pos)
                out.emit(end)
                pos = end
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
            var run = -1
            if c == 0x20 && pos + 1 < b && other(pos + 1) { run = pos + 1 } else if other(pos) { run = pos }
            if run >= 0 {
                while run < b && other(run) { run += 1 }
                while run < b && (cps[run] == 0x0A || cps[run] == 0x0D || cps[run] == 0x2F) { run += 1 }
                out.emit(pos)
                out.emit(run)
                pos = run
                continue
            }
            if let end = whitespaceEnd(cps, flags, pos, b) {
                out.emit(pos)
                out.emit(end)
                pos = end
                continue
            }
            pos += 1 // no alternative matches here: the code point stays in a gap
        }
    }

    /// DeepSeek V3's main pattern (see `Stage.deepSeekV3`).
    static func splitDeepSeekV3(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
                                _ a: Int, _ b: Int, _ out: inout Emitter) {
        let letterOrMark = CodepointFlags.letter | CodepointFlags.mark
        let punctOrSymbol = CodepointFlags.punctuation | CodepointFlags.symbol
        @inline(__always) func asciiLetter(_ i: Int) -> Bool {
            (cps[i] >= 0x41 && cps[i] <= 0x5A) || (cps[i] >= 0x61 && cps[i] <= 0x7A)
        }
        @inline(__always) func asciiPunctuation(_ c: UInt32) -> Bool {
            (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
        }
        @inline(__always) func letterish(_ i: Int) -> Bool { flags[i] & letterOrMark != 0 }
        @inline(__always) func punctuation(_ i: Int) -> Bool { flags[i] & punctOrSymbol != 0 }
        var pos = a
        while pos < b {
            let c = cps[pos]
            var end = -1
            if asciiPunctuation(c) && pos + 1 < b && asciiLetter(pos + 1) {
                // `[!"#…~][A-Za-z]+`
                end = pos + 1
                while end < b && asciiLetter(end) { end += 1 }
            } else {
                // `[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+`
                let prefixable = c != 0x0A && c != 0x0D && flags[pos] & (CodepointFlags.letter | punctOrSymbol) == 0
                var run = -1
                if prefixable && pos + 1 < b && letterish(pos + 1) { run = pos + 1 } else if letterish(pos) { run = pos }
                if run >= 0 {
                    while run < b && letterish(run) { run += 1 }
                    end = run
                } else {
                    // ` ?[\p{P}\p{S}]+[\r\n]*`
                    if c == 0x20 && pos + 1 < b && punctuation(pos + 1) { run = pos + 1 } else if punctuation(pos) { run = pos }
                    if run >= 0 {
                        while run < b && punctuation(run) { run += 1 }
                        while run < b && (cps[run] == 0x0A || cps[run] == 0x0D) { run += 1 }
                        end = run
                    } else if let wsEnd = whitespaceEnd(cps, flags, pos, b) {
                        end = wsEnd
                    }
                }
            }
            if end > pos {
                out.emit(pos)
                out.emit(end)
                pos = end
            } else {
                pos += 1
            }
        }
    }
}
