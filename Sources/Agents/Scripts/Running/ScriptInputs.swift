// Gives every input of a script its value before the first step runs: from `--var NAME=VALUE` (or a calling
// script's `vars:`), else standard input, a file or the default. Values are converted to the declared type.
import Foundation

/// Resolution of a script's inputs.
public enum ScriptInputs {
    /// `NAME=VALUE` texts as pairs (the value may contain '='; a repeated name keeps the last value).
    public static func parse(variables texts: [String]) throws(ScriptError) -> [String: String] {
        var result: [String: String] = [:]
        for text in texts {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ScriptError.malformedVariable(text)
            }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    /// The value of every input of `script`.
    ///
    /// - Parameters:
    ///   - given: values from `--var` (strings, converted to each input's type) or from a calling script.
    ///   - standardInput: reads standard input; called at most once, only if an input needs it (nil: none).
    ///   - workingDirectory: where a file named by `--var` is found (a default file is found next to the script).
    public static func resolve(_ script: Script, given: [String: JSON],
                               standardInput: (() -> String?)? = nil,
                               workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws(ScriptError) -> [String: JSON]
    {
        for name in given.keys.sorted() where !script.inputNames.contains(name) {
            throw ScriptError.unknownVariable(name: name, file: script.file, declared: script.inputNames)
        }
        var values: [String: JSON] = [:]
        for input in script.inputs {
            let value: JSON
            switch (input.source, given[input.name]) {
            case (.file(let path), let named):
                let file = named.map { Self.file($0.templateText, in: workingDirectory) }
                    ?? Self.file(path, in: script.url.deletingLastPathComponent())
                do {
                    value = .string(try String(contentsOf: file, encoding: .utf8))
                } catch {
                    throw ScriptError.inputFileUnreadable(input.location, name: input.name,
                                                          path: named?.templateText ?? path,
                                                          reason: ScriptLoader.reason(error))
                }
            case (_, let given?):
                value = given
            case (.value(let fallback?), nil):
                value = fallback
            case (.value(nil), nil):
                throw ScriptError.missingInput(input.location, name: input.name, stdin: false)
            case (.stdin, nil):
                guard let text = standardInput?() else {
                    throw ScriptError.missingInput(input.location, name: input.name, stdin: true)
                }
                value = .string(text)
            }
            values[input.name] = try convert(value, to: input.kind, name: input.name, at: input.location)
        }
        return values
    }

    /// `path` (~ expanded) as given when absolute, else inside `directory`.
    static func file(_ path: String, in directory: URL) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : directory.appendingPathComponent(expanded)
    }

    /// `value` as `kind`: text is read as a number, boolean, list or JSON; values of the right type pass.
    static func convert(_ value: JSON, to kind: ScriptInput.Kind, name: String,
                        at location: SourceLocation) throws(ScriptError) -> JSON {
        let text = value.templateText.trimmingCharacters(in: .whitespacesAndNewlines)
        func invalid(_ expected: String) -> ScriptError {
            .invalidInput(location, name: name, expected: expected,
                          found: "'\(text.count > 60 ? String(text.prefix(60)) + "…" : text)'")
        }
        switch kind {
        case .string:
            if case .string = value { return value }
            return .string(value.templateText)
        case .number:
            if case .number = value { return value }
            guard let number = Double(text), number.isFinite else { throw invalid("a number") }
            return .number(number)
        case .boolean:
            if case .bool = value { return value }
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: throw invalid("true or false")
            }
        case .list:
            if case .array = value { return value }
            if text.hasPrefix("["), let parsed = try? JSON(parsing: text), case .array = parsed { return parsed }
            if text.isEmpty { return .array([]) }
            let separator: Character = text.contains("\n") ? "\n" : ","
            return .array(text.split(separator: separator).map { .string($0.trimmingCharacters(in: .whitespaces)) }
                .filter { $0 != .string("") })
        case .json:
            guard case .string = value else { return value }
            do { return try JSON(parsing: text) } catch { throw invalid("JSON (\(error))") }
        }
    }
}
