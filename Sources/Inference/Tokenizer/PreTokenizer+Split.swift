// The scanners behind each pre-tokenizer stage. They work on decoded code points and their category flags,
// and write word boundaries (end indices), reproducing llama.cpp's unicode.cpp splitters match for match.

extension PreTokenizer {
    /// Splits `cps` (with `flags[i]` = `CodepointFlags.of(cps[i])`) into words, replacing `ends` with the
    /// index one past each word. `scratch` is reused between calls to avoid allocation.
    func split(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
               into ends: inout [Int], scratch: inout [Int]) {
        ends.removeAll(keepingCapacity: true)
        guard !cps.isEmpty else { return }
        ends.append(cps.count)
        var out = Emitter(ends: [], last: 0)
        for stage in stages {
            swap(&ends, &scratch) // scratch: the segments so far
            swap(&out.ends, &ends) // reuse the old storage for the output
            out.ends.removeAll(keepingCapacity: true)
            out.last = 0
            var start = 0
            for end in scratch {
                Self.run(stage, cps, flags, start, end, &out)
                out.emit(end)
                start = end
            }
            swap(&ends, &out.ends)
        }
    }

    /// Collects segment ends, dropping empty segments.
    struct Emitter {
        var ends: [Int]
        var last: Int
        @inline(__always)
        mutating func emit(_ end: Int) {
            if end > last {
                ends.append(end)
                last = end
            }
        }
    }

    @inline(__always)
    static func run(_ stage: Stage, _ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
                    _ a: Int, _ b: Int, _ out: inout Emitter) {
        switch stage {
        case .gpt2:
            splitGPT2(cps, flags, a, b, &out)
        case .llama3(let maxDigits, let marks, let contractions, let trailingLineBreaks, let cascadingSpaces):
            splitLlama3(cps, flags, a, b, maxDigits: maxDigits, marks: marks, contractions: contractions,
                        trailingLineBreaks: trailingLineBreaks, cascadingSpaces: cascadingSpaces, &out)
        case .gpt4o(let maxDigits, let contractions, let marks, let caseless):
            splitGPT4o(cps, flags, a, b, maxDigits: maxDigits, contractions: contractions, marks: marks,
                       caseless: caseless, &out)
        case .afmoeDigits:
            var i = a
            while i < b {
                guard flags[i] & CodepointFlags.number != 0 else {
                    i += 1
                    continue
                }
                // llama.cpp leaves the text before the digits in the first group's segment.
                let start = i
                while i < b && flags[i] & CodepointFlags.number != 0 { i += 1 }
                var group = start + (i - start) % 3
                if group > start { out.emit(group) }
                while group < i {
                    group += 3
                    out.emit(group)
                }
            }
        case .deepSeekV3:
            splitDeepSeekV3(cps, flags, a, b, &out)
        case .numberGroups(let size):
            var i = a
            while i < b {
                if flags[i] & CodepointFlags.number != 0 {
                    out.emit(i)
                    var groupStart = i
                    while i < b && flags[i] & CodepointFlags.number != 0 {
                        i += 1
                        if i - groupStart == size {
                            out.emit(i)
                            groupStart = i
                        }
                    }
                    out.emit(i)
                } else {
                    i += 1
                }
            }
        case .isolate(let cls):
            for i in a..<b where cls.contains(cps[i], flags[i]) {
                out.emit(i)
                out.emit(i + 1)
            }
        case .runs(let cls, let negated):
            var i = a
            while i < b {
                if cls.contains(cps[i], flags[i]) != negated {
                    out.emit(i)
                    while i < b && cls.contains(cps[i], flags[i]) != negated { i += 1 }
                    out.emit(i)
                } else {
                    i += 1
                }
            }
        case .prefixedRuns(let prefix, let run, let negated):
            var i = a
            while i < b {
                var start = -1
                if prefix.contains(cps[i], flags[i]) && i + 1 < b && run.contains(cps[i + 1], flags[i + 1]) != negated {
                    start = i
                    i += 1
                } else if run.contains(cps[i], flags[i]) != negated {
                    start = i
                }
                if start < 0 {
                    i += 1
                    continue
                }
                while i < b && run.contains(cps[i], flags[i]) != negated { i += 1 }
                out.emit(start)
                out.emit(i)
            }
        case .trailingWhitespace:
            var k = b
            while k > a && flags[k - 1] & CodepointFlags.whitespace != 0 { k -= 1 }
            out.emit(k)
        case .digitTriples:
            var i = a
            @inline(__always) func digit(_ j: Int) -> Bool { cps[j] >= 0x30 && cps[j] <= 0x39 }
            while i + 3 <= b {
                if digit(i) && digit(i + 1) && digit(i + 2) {
                    out.emit(i)
                    out.emit(i + 3)
                    i += 3
                } else {
                    i += 1
                }
            }
        case .newlines:
            var i = a
            while i < b {
                let isNewline = cps[i] == 0x0A
                while i < b && (cps[i] == 0x0A) == isNewline { i += 1 }
                out.emit(i)
            }
        }
    }

    /// ASCII letters `s t m d` (after a quote) or the pairs `re ve ll`: the length of the contraction at
    /// `pos` (2 or 3), or 0. `caseInsensitive` folds ASCII upper case (llama.cpp folds only that far).
    @inline(__always)
    static func contractionLength(_ cps: UnsafeBufferPointer<UInt32>, _ pos: Int, _ b: Int,
                                  caseInsensitive: Bool) -> Int {
        guard cps[pos] == 0x27, pos + 1 < b else { return 0 }
        @inline(__always) func fold(_ c: UInt32) -> UInt32 {
            caseInsensitive && c >= 0x41 && c <= 0x5A ? c + 0x20 : c
        }
        let n = fold(cps[pos + 1])
        if n == 0x73 || n == 0x74 || n == 0x6D || n == 0x64 { return 2 } // s t m d
        guard pos + 2 < b else { return 0 }
        let nn = fold(cps[pos + 2])
        if (n == 0x72 && nn == 0x65) || (n == 0x76 && nn == 0x65) || (n == 0x6C && nn == 0x6C) { return 3 }
        return 0
    }

    /// GPT-2's pattern (llama.cpp `unicode_regex_split_custom_gpt2`) over the segment `a..<b`.
    static func splitGPT2(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
                          _ a: Int, _ b: Int, _ out: inout Emitter) {
        let ws = CodepointFlags.whitespace, letter = CodepointFlags.letter, number = CodepointFlags.number
        @inline(__always) func f(_ i: Int) -> UInt16 { i < b ? flags[i] : 0 }
        var pos = a
        while pos < b {
            let c = cps[pos]
            let contraction = contractionLength(cps, pos, b, caseInsensitive: false)
            if contraction > 0 {
                pos += contraction
                out.emit(pos)
                continue
            }
            let isSpace = c == 0x20
            let f2 = isSpace ? f(pos + 1) : flags[pos]
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
            if f2 & (letter | number) != 0 {
                let cls = f2 & letter != 0 ? letter : number
                if isSpace { pos += 1 }
                while f(pos) & cls != 0 { pos += 1 }
                out.emit(pos)
                continue
            }
            if f2 & (ws | letter | number) == 0 && f2 != 0 {
                if isSpace { pos += 1 }
                while f(pos) & (ws | letter | number) == 0 && f(pos) != 0 { pos += 1 }
                out.emit(pos)
                continue
            }
            var n = 0
            while f(pos + n) & ws != 0 { n += 1 }
            if n > 1 && pos + n < b {
                pos += n - 1 // `\s+(?!\S)`: leave the last space to the next word
            } else if n > 0 {
                pos += n
            } else {
                pos += 1
            }
            out.emit(pos)
        }
    }

    /// Llama 3's pattern family (llama.cpp `unicode_regex_split_custom_llama3`, `_qwen2`, `_qwen35`).
    static func splitLlama3(_ cps: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
                            _ a: Int, _ b: Int, maxDigits: Int, marks: Bool, contractions: Bool,
                            trailingLineBreaks: Bool, cascadingSpaces: Bool, _ out: inout Emitter) {
        let ws = CodepointFlags.whitespace, number = CodepointFlags.number
        let letterish = CodepointFlags.letter | (marks ? CodepointFlags.mark : 0)
        @inline(__always) func f(_ i: Int) -> UInt16 { i < b ? flags[i] : 0 }
        @inline(__always) func isLineBreak(_ i: Int) -> Bool { i < b && (cps[i] == 0x0A || cps[i] == 0x0D) }
        var pos = a
        while pos < b {
            let c = cps[pos]
            let fc = flags[pos]
            let contraction = contractions ? contractionLength(cps, pos, b, caseInsensitive: true) : 0
            if contraction > 0 {
                pos += contraction
                out.emit(pos)
                continue
            }
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !(c == 0x0A || c == 0x0D || fc & number != 0) && (fc & letterish != 0 || f(pos + 1) & letterish != 0) {
                pos += 1
                while f(pos) & letterish != 0 { pos += 1 }
                out.emit(pos)
                continue
            }
            // `\p{N}{1,maxDigits}`
            if fc & number != 0 {
                var groupStart = pos
                while f(pos) & number != 0 {
                    pos += 1
                    if pos - groupStart >= maxDigits {
                        out.emit(pos)
                        groupStart = pos
                    }
                }
                out.emit(pos)
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let excluded = ws | letterish | number
            let f2 = c == 0x20 ? f(pos + 1) : fc
            if f2 & excluded == 0 && fc != 0 {
                if c == 0x20 { pos += 1 }
                while f(pos) & excluded == 0 && f(pos) != 0 { pos += 1 }
                while trailingLineBreaks && isLineBreak(pos) { pos += 1 }
                out.emit(pos)
                continue
            }
            // `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`
            var n = 0
            var lastLineBreakEnd = 0
            while f(pos + n) & ws != 0 {
                if isLineBreak(pos + n) { lastLineBreakEnd = pos + n + 1 }
                n += 1
            }
            if lastLineBreakEnd > 0 {
                pos = lastLineBreakEnd
            } else if cascadingSpaces && n > 0 {
                // The first of 512, 256 … 4, 2, 1 spaces not followed by a non-space; else one space.
                let atEnd = pos + n == b
                var size = 512
                while size > 2 && !(n > size || (n == size && atEnd)) { size /= 2 }
                if size == 2 && !(n > 2 || (n == 2 && atEnd)) { size = 1 }
                pos += min(size, n)
            } else if n > 1 && pos + n < b {
                pos += n - 1
            } else if n > 0 {
                pos += n
            } else {
                pos += 1
            }
            out.emit(pos)
        }
    }
}
