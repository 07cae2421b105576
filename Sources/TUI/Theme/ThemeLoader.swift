// Reads theme files (YAML) from the theme directories, with errors that name the file, line and key.
import Agents
import Foundation
import Yams

/// Finds and parses theme files.
///
/// Format (see themes/dark.yaml):
/// ```yaml
/// name: dark
/// palette:            # optional: names for colours used below
///   blue: "#7aa2f7"
/// roles:
///   text: { fg: "#c0caf5" }
///   dim_text: "#565f89"          # shorthand: foreground only
///   user_turn: { fg: blue, bold: true }
/// ```
/// Colours are ANSI names (`red`, `bright_blue`, `default`), palette names, 0-255 indices or `#rrggbb`.
public struct ThemeLoader: Sendable {
    /// Directories searched in order for `<name>.yaml`.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// The usual search path: `$TOKENWORKS_THEMES`, `~/.config/tokenworks/themes` (XDG), `./themes`.
    public static func defaultDirectories(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String]
    {
        var dirs: [String] = []
        if let d = environment["TOKENWORKS_THEMES"], !d.isEmpty { dirs.append(d) }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            dirs.append(xdg + "/tokenworks/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            dirs.append(home + "/.config/tokenworks/themes")
        }
        dirs.append(FileManager.default.currentDirectoryPath + "/themes")
        return dirs
    }

    /// Names of the themes found, sorted, without duplicates.
    public func availableThemes() -> [String] {
        var names = Set<String>()
        for dir in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".yaml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }

    /// The theme called `name`, from the first directory that has it (not yet degraded).
    public func load(named name: String) throws(TUIError) -> Theme {
        for dir in directories {
            let path = dir + "/" + name + ".yaml"
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        throw .themeNotFound(name: name, searched: directories)
    }

    /// The theme in the file at `path`.
    public func load(path: String) throws(TUIError) -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .themeUnreadable(file: path, reason: error.localizedDescription)
        }
        let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try Self.parse(text, file: path, defaultName: fallbackName)
    }

    /// Parses theme YAML; `file` is only used in error messages.
    public static func parse(_ yaml: String, file: String, defaultName: String = "custom") throws(TUIError) -> Theme {
        if let (line, column) = YAMLNesting.firstTooDeep(yaml) {
            throw .themeSyntax(file: file, line: line, column: column,
                               problem: "nested too deeply (a theme needs three levels)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw .themeSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
        guard let root else { return Theme(name: defaultName, styles: [:]) }
        guard let top = root.mapping else {
            throw .themeWrongShape(file: file, line: line(root), key: "(top level)", expected: "a mapping")
        }
        var name = defaultName
        var palette: [String: Color] = [:]
        var styles: [ThemeRole: Style] = [:]
        // The palette first, so roles may use names defined after them.
        for (k, v) in top where k.string == "palette" {
            guard let entries = v.mapping else {
                throw .themeWrongShape(file: file, line: line(v), key: "palette", expected: "a mapping of names to colours")
            }
            for (pk, pv) in entries {
                let key = "palette." + (pk.string ?? "?")
                guard let s = pv.scalar?.string, let c = parseColor(s, palette: [:]) else {
                    throw .themeBadColor(file: file, line: line(pv), key: key, value: pv.scalar?.string ?? "(not a scalar)")
                }
                palette[(pk.string ?? "").lowercased()] = c
            }
        }
        for (k, v) in top {
            switch k.string ?? "" {
            case "name":
                if let s = v.scalar?.string { name = s }
            case "palette":
                continue
            case "roles":
                guard let roles = v.mapping else {
                    throw .themeWrongShape(file: file, line: line(v), key: "roles", expected: "a mapping of roles to styles")
                }
                for (rk, rv) in roles {
                    let roleName = rk.string ?? ""
                    guard let role = ThemeRole(rawValue: roleName) else {
                        throw .themeUnknownRole(file: file, line: line(rk), key: "roles." + roleName)
                    }
                    styles[role] = try parseStyle(rv, key: "roles." + roleName, file: file, palette: palette)
                }
            default:
                throw .themeWrongShape(
                    file: file, line: line(k), key: k.string ?? "?", expected: "one of name, palette, roles")
            }
        }
        return Theme(name: name, styles: styles)
    }

    private static func parseStyle(_ node: Node, key: String, file: String, palette: [String: Color])
        throws(TUIError) -> Style
    {
        if let s = node.scalar?.string {
            guard let c = parseColor(s, palette: palette) else {
                throw .themeBadColor(file: file, line: line(node), key: key, value: s)
            }
            return Style(foreground: c)
        }
        guard let fields = node.mapping else {
            throw .themeWrongShape(file: file, line: line(node), key: key, expected: "a colour or a mapping of fg, bg and attributes")
        }
        var style = Style()
        for (fk, fv) in fields {
            let field = fk.string ?? ""
            let fieldKey = key + "." + field
            let value = fv.scalar?.string ?? ""
            switch field {
            case "fg", "bg":
                guard fv.scalar != nil, let c = parseColor(value, palette: palette) else {
                    throw .themeBadColor(file: file, line: line(fv), key: fieldKey, value: fv.scalar == nil ? "(not a scalar)" : value)
                }
                if field == "fg" { style.foreground = c } else { style.background = c }
            default:
                guard let attribute = TextAttributes.named.first(where: { $0.0 == field })?.1 else {
                    throw .themeUnknownField(file: file, line: line(fk), key: fieldKey)
                }
                switch value.lowercased() {
                case "true", "yes", "on": style.attributes.insert(attribute)
                case "false", "no", "off": style.attributes.remove(attribute)
                default: throw .themeBadFlag(file: file, line: line(fv), key: fieldKey, value: value)
                }
            }
        }
        return style
    }

    /// A colour from its theme-file spelling, or nil.
    public static func parseColor(_ text: String, palette: [String: Color] = [:]) -> Color? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let c = palette[s] { return c }
        switch s {
        case "default", "none", "reset": return .default
        case "gray", "grey": return .brightBlack
        default: break
        }
        let normalized = s.replacingOccurrences(of: "-", with: "_")
        if let i = Color.ansiNames.firstIndex(of: normalized) { return .ansi(UInt8(i)) }
        if let n = Int(s), (0...255).contains(n) { return n < 16 ? .ansi(UInt8(n)) : .indexed(UInt8(n)) }
        if s.hasPrefix("#") {
            let hex = Array(s.dropFirst())
            let digits = hex.count == 3 ? hex.flatMap { [$0, $0] } : hex
            guard digits.count == 6, let v = UInt32(String(digits), radix: 16) else { return nil }
            return .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        }
        return nil
    }

    private static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    private static func syntaxError(_ error: YamlError, file: String) -> TUIError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return .themeSyntax(file: file, line: mark.line, column: mark.column, problem: what)
        default:
            return .themeSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
    }
}
