// Python's str methods over Unicode code points (Swift's String compares and counts grapheme clusters and uses
// canonical equivalence; Python uses code points, and rendered output must match Python's byte for byte).

/// Python string operations on code points.
enum PyString {
    typealias Scalars = [Unicode.Scalar]

    static func scalars(_ s: String) -> Scalars { Array(s.unicodeScalars) }

    static func string(_ s: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        return String(view)
    }

    /// Index (in code points) of the first occurrence of `needle` in `haystack[start..<end]`.
    static func find(_ haystack: String, _ needle: String, start: Int? = nil, end: Int? = nil) -> Int? {
        let h = scalars(haystack)
        let n = scalars(needle)
        let (from, to) = clampRange(h.count, start, end)
        if n.isEmpty { return from <= to ? from : nil }
        guard to - from >= n.count else { return nil }
        var i = from
        while i + n.count <= to {
            if h[i] == n[0] && h[i..<i + n.count].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    /// Index of the last occurrence of `needle` in `haystack[start..<end]`.
    static func rfind(_ haystack: String, _ needle: String, start: Int? = nil, end: Int? = nil) -> Int? {
        let h = scalars(haystack)
        let n = scalars(needle)
        let (from, to) = clampRange(h.count, start, end)
        if n.isEmpty { return from <= to ? to : nil }
        guard to - from >= n.count else { return nil }
        var i = to - n.count
        while i >= from {
            if h[i..<i + n.count].elementsEqual(n) { return i }
            i -= 1
        }
        return nil
    }

    /// Python's slice-style clamping of optional start/end (negative counts from the end).
    static func clampRange(_ count: Int, _ start: Int?, _ end: Int?) -> (Int, Int) {
        func clamp(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += count }
            return min(max(v, 0), count)
        }
        return (clamp(start, 0), clamp(end, count))
    }

    static func count(_ haystack: String, _ needle: String) -> Int {
        let h = scalars(haystack)
        let n = scalars(needle)
        if n.isEmpty { return h.count + 1 }
        var c = 0
        var i = 0
        while i + n.count <= h.count {
            if h[i..<i + n.count].elementsEqual(n) {
                c += 1
                i += n.count
            } else {
                i += 1
            }
        }
        return c
    }

    /// `str.strip(chars)`, `lstrip`, `rstrip`: whitespace when `chars` is nil.
    static func strip(_ s: String, _ chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set.map { $0.contains(c) } ?? c.isPythonWhitespace }
        let a = scalars(s)
        var lo = 0
        var hi = a.count
        if leading { while lo < hi && strippable(a[lo]) { lo += 1 } }
        if trailing { while hi > lo && strippable(a[hi - 1]) { hi -= 1 } }
        if lo == 0 && hi == a.count { return s }
        return string(a[lo..<hi])
    }

    /// `str.split(sep, maxsplit)`; nil `sep` splits on runs of whitespace and drops empty pieces.
    static func split(_ s: String, _ sep: String?, maxsplit: Int = -1) -> [String] {
        let a = scalars(s)
        guard let sep else {
            var parts: [String] = []
            var i = 0
            while i < a.count {
                while i < a.count && a[i].isPythonWhitespace { i += 1 }
                if i >= a.count { break }
                if maxsplit >= 0 && parts.count == maxsplit {
                    var end = a.count
                    while end > i && a[end - 1].isPythonWhitespace { end -= 1 }
                    parts.append(string(a[i..<end]))
                    return parts
                }
                let start = i
                while i < a.count && !a[i].isPythonWhitespace { i += 1 }
                parts.append(string(a[start..<i]))
            }
            return parts
        }
        let n = scalars(sep)
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + n.count <= a.count {
            if maxsplit >= 0 && parts.count == maxsplit { break }
            if a[i..<i + n.count].elementsEqual(n) {
                parts.append(string(a[start..<i]))
                i += n.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(string(a[start...]))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)`.
    static func rsplit(_ s: String, _ sep: String?, maxsplit: Int = -1) -> [String] {
        if maxsplit < 0 { return split(s, sep) }
        let a = scalars(s)
        guard let sep else {
            var parts: [String] = []
            var i = a.count
            while i > 0 {
                while i > 0 && a[i - 1].isPythonWhitespace { i -= 1 }
                if i == 0 { break }
                if parts.count == maxsplit {
                    var start = 0
                    while start < i && a[start].isPythonWhitespace { start += 1 }
                    parts.append(string(a[start..<i]))
                    return parts.reversed()
                }
                let end = i
                while i > 0 && !a[i - 1].isPythonWhitespace { i -= 1 }
                parts.append(string(a[i..<end]))
            }
            return parts.reversed()
        }
        let n = scalars(sep)
        var parts: [String] = []
        var end = a.count
        var i = a.count - n.count
        while i >= 0 {
            if parts.count == maxsplit { break }
            if a[i..<i + n.count].elementsEqual(n) {
                parts.append(string(a[(i + n.count)..<end]))
                end = i
                i -= n.count
            } else {
                i -= 1
            }
        }
        parts.append(string(a[0..<end]))
        return parts.reversed()
    }

    /// `str.splitlines(keepends)`.
    static func splitlines(_ s: String, keepends: Bool) -> [String] {
        let a = scalars(s)
        var parts: [String] = []
        var start = 0
        var i = 0
        let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        while i < a.count {
            if breaks.contains(a[i].value) {
                var end = i + 1
                if a[i] == "\r" && end < a.count && a[end] == "\n" { end += 1 }
                parts.append(string(a[start..<(keepends ? end : i)]))
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start < a.count { parts.append(string(a[start...])) }
        return parts
    }

    /// `str.replace(old, new, count)`.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        let a = scalars(s)
        let o = scalars(old)
        let n = scalars(new)
        var out: Scalars = []
        var done = 0
        if o.isEmpty {
            for c in a {
                if count < 0 || done < count {
                    out += n
                    done += 1
                }
                out.append(c)
            }
            if count < 0 || done < count { out += n }
            return string(out)
        }
        var i = 0
        while i < a.count {
            if (count < 0 || done < count) && i + o.count <= a.count && a[i..<i + o.count].elementsEqual(o) {
                out += n
                i += o.count
                done += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        return string(out)
    }

    static func isCased(_ c: Unicode.Scalar) -> Bool {
        c.properties.isUppercase || c.properties.isLowercase || c.properties.generalCategory == .titlecaseLetter
    }

    /// Python's `str.title()`: a cased character after an uncased one is title-cased, others lower-cased.
    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            if isCased(c) {
                out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
                previousCased = true
            } else {
                out.unicodeScalars.append(c)
                previousCased = false
            }
        }
        return out
    }

    /// Python's `str.capitalize()`: first character title-cased, the rest lower-cased.
    static func capitalize(_ s: String) -> String {
        var out = ""
        for (i, c) in s.unicodeScalars.enumerated() {
            out += i == 0 ? c.properties.titlecaseMapping : c.properties.lowercaseMapping
        }
        return out
    }

    static func swapcase(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.properties.isUppercase { out += c.properties.lowercaseMapping }
            else if c.properties.isLowercase { out += c.properties.uppercaseMapping }
            else { out.unicodeScalars.append(c) }
        }
        return out
    }

    static func upper(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars { out += c.properties.uppercaseMapping }
        return out
    }

    static func lower(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars { out += c.properties.lowercaseMapping }
        return out
    }

    /// Pads to `width` code points; Python's `center` puts the extra pad on the right when the total is odd
    /// and the string length is even, otherwise on the left.
    static func pad(_ s: String, width: Int, fill: Unicode.Scalar, align: Character) -> String {
        let length = s.unicodeScalars.count
        guard width > length else { return s }
        let total = width - length
        let f = String(fill)
        switch align {
        case "<": return s + String(repeating: f, count: total)
        case ">": return String(repeating: f, count: total) + s
        default:
            let left = total / 2 + (total & width & 1)
            return String(repeating: f, count: left) + s + String(repeating: f, count: total - left)
        }
    }
}
