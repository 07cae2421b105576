// Every error of the TUI target, with the text users see written in one place: what is wrong and what to do.
import Foundation

/// Errors of the TUI: theme files, slash commands, the terminal.
public enum TUIError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    /// No theme file with this name in any search directory.
    case themeNotFound(name: String, searched: [String])
    /// A theme file could not be read.
    case themeUnreadable(file: String, reason: String)
    /// A theme file is not valid YAML.
    case themeSyntax(file: String, line: Int, column: Int, problem: String)
    /// A key's value has the wrong shape (a list where a mapping was expected, …).
    case themeWrongShape(file: String, line: Int, key: String, expected: String)
    /// A role name no pane uses (likely a typo).
    case themeUnknownRole(file: String, line: Int, key: String)
    /// A field inside a role that is not fg/bg/attribute.
    case themeUnknownField(file: String, line: Int, key: String)
    /// A colour value that is not a name, palette name, 0-255 index or #rrggbb.
    case themeBadColor(file: String, line: Int, key: String, value: String)
    /// An attribute value that is not true/false.
    case themeBadFlag(file: String, line: Int, key: String, value: String)
    /// A slash command nobody knows.
    case unknownCommand(name: String, suggestion: String?)
    /// A slash command that needs an argument got none.
    case missingArgument(command: String, usage: String)
    /// A slash command argument out of its allowed set.
    case invalidArgument(command: String, value: String, allowed: [String])
    /// The terminal could not be set up (not a terminal, unknown TERM…).
    case terminalUnavailable(reason: String)
    /// The input stream ended (the terminal went away, or a scripted backend ran out of input).
    case inputClosed

    public var description: String {
        switch self {
        case .themeNotFound(let name, let searched):
            let places = searched.isEmpty ? "no theme directories" : searched.joined(separator: ", ")
            return "theme '\(name)' not found (looked for \(name).yaml in \(places)): "
                + "pick one of the files in themes/ or set TOKENWORKS_THEMES to a directory of theme files"
        case .themeUnreadable(let file, let reason):
            return "\(file): cannot read theme file (\(reason)): check that it exists and is readable"
        case .themeSyntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): invalid YAML: \(problem): fix the syntax at that position"
        case .themeWrongShape(let file, let line, let key, let expected):
            return "\(file):\(line): '\(key)' must be \(expected)"
        case .themeUnknownRole(let file, let line, let key):
            return "\(file):\(line): unknown role '\(key)': known roles are "
                + ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
        case .themeUnknownField(let file, let line, let key):
            return "\(file):\(line): unknown field '\(key)': a role takes fg, bg, bold, dim, italic, underline, "
                + "reverse"
        case .themeBadColor(let file, let line, let key, let value):
            return "\(file):\(line): '\(key)': '\(value)' is not a colour: use a name (red, bright_blue, default…), "
                + "a palette name, an index 0-255 or #rrggbb"
        case .themeBadFlag(let file, let line, let key, let value):
            return "\(file):\(line): '\(key)': '\(value)' is not true or false"
        case .unknownCommand(let name, let suggestion):
            if let suggestion { return "unknown command /\(name): did you mean /\(suggestion)? (/help lists all)" }
            return "unknown command /\(name): type /help to list the commands"
        case .missingArgument(let command, let usage):
            return "/\(command) needs an argument: usage \(usage)"
        case .invalidArgument(let command, let value, let allowed):
            return "/\(command): '\(value)' is not one of \(allowed.joined(separator: ", "))"
        case .terminalUnavailable(let reason):
            return "cannot start the terminal UI: \(reason): run it in an interactive terminal (check TERM)"
        case .inputClosed:
            return "terminal input closed"
        }
    }

    public var errorDescription: String? { description }
}
