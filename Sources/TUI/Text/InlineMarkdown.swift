// The little markdown a chat reply uses inline: `code`, **bold**, # headings and "- " bullets, turned into styled
// graphemes (markers removed) so wrapping works on what is shown, not on the markup.

/// Styling of one grapheme of rendered markdown.
public struct InlineStyle: Hashable, Sendable {
    public var role: ThemeRole
    public var attributes: TextAttributes
    public init(_ role: ThemeRole, _ attributes: TextAttributes = []) {
        self.role = role
        self.attributes = attributes
    }
}

/// Renders inline markdown of one line.
public enum InlineMarkdown {
    /// The line's graphemes without markup, each with its style. Unclosed markers are kept as typed.
    public static func render(_ line: String, role: ThemeRole) -> [(Character, InlineStyle)] {
        var chars = Array(line)
        var lineAttributes: TextAttributes = []
        var prefix: [Character] = []
        let indent = chars.prefix { $0 == " " }.count
        let body = chars[indent...]
        if body.first == "#" {
            let hashes = body.prefix { $0 == "#" }.count
            if hashes <= 6, body.count > hashes, body[body.startIndex + hashes] == " " {
                chars = Array(body.dropFirst(hashes + 1))
                lineAttributes = .bold
            }
        } else if body.count >= 2, body.first == "-" || body.first == "*", body[body.startIndex + 1] == " " {
            prefix = Array(repeating: " ", count: indent) + ["•", " "]
            chars = Array(body.dropFirst(2))
        }
        var out: [(Character, InlineStyle)] = prefix.map { ($0, InlineStyle(role, lineAttributes)) }
        var inCode = false
        var bold = false
        var i = 0
        func closes(_ marker: [Character], from start: Int) -> Bool {
            var j = start
            while j + marker.count <= chars.count {
                if Array(chars[j..<(j + marker.count)]) == marker { return true }
                j += 1
            }
            return false
        }
        while i < chars.count {
            let c = chars[i]
            if c == "`" && (inCode || closes(["`"], from: i + 1)) {
                inCode.toggle()
                i += 1
                continue
            }
            if !inCode && c == "*" && i + 1 < chars.count && chars[i + 1] == "*"
                && (bold || closes(["*", "*"], from: i + 2))
            {
                bold.toggle()
                i += 2
                continue
            }
            let style = inCode
                ? InlineStyle(.codeBlock, lineAttributes)
                : InlineStyle(role, bold ? lineAttributes.union(.bold) : lineAttributes)
            out.append((c, style))
            i += 1
        }
        return out
    }
}
