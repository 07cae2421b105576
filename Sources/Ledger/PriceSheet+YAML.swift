// Reads a price sheet from YAML, walking the node tree itself so every error names the file, line and key.
// Also says where the sheet is looked for when the user names none.
import Foundation
internal import Yams

extension PriceSheet {
    /// Reads and checks a price sheet file.
    public static func load(from url: URL) throws(LedgerError) -> PriceSheet {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LedgerError.priceFileUnreadable(file: url.path, reason: LedgerError.reason(of: error))
        }
        return try parse(yaml: text, file: url.path)
    }

    /// Parses the YAML text of a price sheet; `file` is only used to name the source in errors.
    public static func parse(yaml text: String, file: String) throws(LedgerError) -> PriceSheet {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw LedgerError.priceFileSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
        guard let root else {
            throw LedgerError.priceInvalidValue(file: file, line: 1, key: "(top level)",
                                                expected: "a mapping with date, machine, compare_with and models",
                                                found: "an empty document")
        }
        var reader = SheetReader(file: file)
        return try reader.sheet(from: root)
    }

    /// Where the sheet is looked for, in order: `$TOKENWORKS_PRICES`, the user's config folder
    /// (`$XDG_CONFIG_HOME/tokenworks/prices.yaml`, else `~/.config/tokenworks/prices.yaml`), then the
    /// repository's `pricing/prices.yaml` under the current directory.
    public static func searchLocations(environment: [String: String] = ProcessInfo.processInfo.environment,
                                       currentDirectory: URL = URL(fileURLWithPath: FileManager.default
                                           .currentDirectoryPath)) -> [URL] {
        var locations: [URL] = []
        if let explicit = environment["TOKENWORKS_PRICES"], !explicit.isEmpty {
            locations.append(URL(fileURLWithPath: explicit))
        }
        let config: URL
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            config = URL(fileURLWithPath: xdg)
        } else {
            config = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        }
        locations.append(config.appendingPathComponent("tokenworks/prices.yaml"))
        locations.append(currentDirectory.appendingPathComponent("pricing/prices.yaml"))
        return locations
    }

    /// Loads the first sheet found in `searchLocations`, or says where it looked.
    public static func loadDefault(environment: [String: String] = ProcessInfo.processInfo.environment,
                                   currentDirectory: URL = URL(fileURLWithPath: FileManager.default
                                       .currentDirectoryPath)) throws(LedgerError) -> PriceSheet {
        let locations = searchLocations(environment: environment, currentDirectory: currentDirectory)
        for url in locations where FileManager.default.fileExists(atPath: url.path) {
            return try load(from: url)
        }
        throw LedgerError.priceFileUnreadable(
            file: locations.map(\.path).joined(separator: ", "),
            reason: "no price sheet at any of these places; copy pricing/prices.yaml from the repository to one")
    }

    private static func syntaxError(_ error: YamlError, file: String) -> LedgerError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = context.map { "\(problem) (\($0.text))" } ?? problem
            return .priceFileSyntax(file: file, line: mark.line, column: mark.column, problem: text)
        case .reader(let problem, _, _, _):
            return .priceFileSyntax(file: file, line: 1, column: 1, problem: problem)
        default:
            return .priceFileSyntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
    }
}

/// Walks the composed YAML tree of a price sheet, keeping the file name for errors.
private struct SheetReader {
    let file: String

    static let topKeys = ["date", "note", "compare_with", "machine", "models"]
    static let machineKeys = ["dollars_per_hour", "note"]
    static let modelKeys = ["input", "cached_input", "output", "note"]

    mutating func sheet(from root: Node) throws(LedgerError) -> PriceSheet {
        let top = try entries(of: root, key: "(top level)", allowed: Self.topKeys)
        let date = try string(top, "date", parentLine: line(root))
        guard isCalendarDate(date.value) else {
            throw LedgerError.priceInvalidValue(file: file, line: date.line, key: "date",
                                                expected: "a date like 2025-07-01", found: date.value)
        }
        let machineNode = try required(top, "machine", parentLine: line(root))
        let machine = try entries(of: machineNode.node, key: "machine", allowed: Self.machineKeys)
        let perHour = try number(machine, "dollars_per_hour", path: "machine.dollars_per_hour",
                                 parentLine: machineNode.line)
        let modelsNode = try required(top, "models", parentLine: line(root))
        let modelEntries = try entries(of: modelsNode.node, key: "models", allowed: nil)
        guard !modelEntries.isEmpty else {
            throw LedgerError.priceInvalidValue(file: file, line: modelsNode.line, key: "models",
                                                expected: "at least one model", found: "an empty mapping")
        }
        var models: [PriceSheet.ModelPrice] = []
        for entry in modelEntries {
            let path = "models.\(entry.key)"
            let fields = try entries(of: entry.node, key: path, allowed: Self.modelKeys)
            let input = try number(fields, "input", path: path + ".input", parentLine: entry.line)
            let output = try number(fields, "output", path: path + ".output", parentLine: entry.line)
            let cached = try optionalNumber(fields, "cached_input", path: path + ".cached_input")
            let note = fields.first { $0.key == "note" }?.node.string
            models.append(PriceSheet.ModelPrice(name: entry.key, input: input, cachedInput: cached, output: output,
                                                note: note))
        }
        let compare = try string(top, "compare_with", parentLine: line(root))
        guard models.contains(where: { $0.name == compare.value }) else {
            throw LedgerError.priceInvalidValue(
                file: file, line: compare.line, key: "compare_with",
                expected: "one of the models listed under 'models' (\(models.map(\.name).sorted().joined(separator: ", ")))",
                found: compare.value)
        }
        return PriceSheet(file: file, date: date.value, machineDollarsPerHour: perHour,
                          defaultComparisonModel: compare.value, models: models)
    }

    // MARK: Tree helpers

    /// A key of a mapping with its value node and the line the key is on.
    struct Entry {
        let key: String
        let node: Node
        let line: Int
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// The key/value pairs of a mapping node, rejecting duplicates and (when `allowed` is given) unknown keys.
    func entries(of node: Node, key: String, allowed: [String]?) throws(LedgerError) -> [Entry] {
        guard let mapping = node.mapping else {
            throw LedgerError.priceInvalidValue(file: file, line: line(node), key: key,
                                                expected: "a mapping of keys to values", found: describe(node))
        }
        var result: [Entry] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            let name = keyNode.string ?? describe(keyNode)
            let keyLine = line(keyNode)
            let path = key == "(top level)" ? name : "\(key).\(name)"
            if let allowed, !allowed.contains(name) {
                throw LedgerError.priceUnknownKey(file: file, line: keyLine, key: path, allowed: allowed)
            }
            guard seen.insert(name).inserted else {
                throw LedgerError.priceDuplicateKey(file: file, line: keyLine, key: path)
            }
            result.append(Entry(key: name, node: valueNode, line: keyLine))
        }
        return result
    }

    func required(_ entries: [Entry], _ key: String, parentLine: Int) throws(LedgerError) -> Entry {
        guard let entry = entries.first(where: { $0.key == key }) else {
            throw LedgerError.priceMissingKey(file: file, line: parentLine, key: key)
        }
        return entry
    }

    func string(_ entries: [Entry], _ key: String, parentLine: Int) throws(LedgerError) -> (value: String, line: Int) {
        let entry = try required(entries, key, parentLine: parentLine)
        guard let value = entry.node.scalar?.string, !value.isEmpty else {
            throw LedgerError.priceInvalidValue(file: file, line: entry.line, key: key, expected: "a text value",
                                                found: describe(entry.node))
        }
        return (value, entry.line)
    }

    func number(_ entries: [Entry], _ key: String, path: String, parentLine: Int) throws(LedgerError) -> Double {
        let entry = entries.first { $0.key == key }
        guard let entry else {
            throw LedgerError.priceMissingKey(file: file, line: parentLine, key: path)
        }
        return try number(entry, path: path)
    }

    func optionalNumber(_ entries: [Entry], _ key: String, path: String) throws(LedgerError) -> Double? {
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        return try number(entry, path: path)
    }

    func number(_ entry: Entry, path: String) throws(LedgerError) -> Double {
        guard let text = entry.node.scalar?.string, let value = Double(text), value.isFinite, value >= 0 else {
            throw LedgerError.priceInvalidValue(file: file, line: entry.line, key: path,
                                                expected: "a number of dollars ≥ 0", found: describe(entry.node))
        }
        return value
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return year >= 1970 && (1...12).contains(month) && (1...31).contains(day)
    }
}
