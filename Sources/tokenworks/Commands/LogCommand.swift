// `tokenworks log`: what every call cost — lists, filters, call trees, totals and exports from the ledger.
import Agents
import ArgumentParser
import Foundation
import Ledger

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Read the ledger: calls, call trees, totals and exports.",
        discussion: """
            Lists the latest calls with their tokens, speed and cost, then the totals of everything that matched.
            --since takes a date (2025-07-01), a UTC time (2025-07-01T12:00:00Z) or an age (30m, 2h, 7d).
            """)

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
    @Option(name: .long, help: "Only calls of this run.")
    var run: String?
    @Option(name: .long, help: "Only calls made by this agent profile.")
    var agent: String?
    @Option(name: .long, help: "Only calls of this model.")
    var model: String?
    @Option(name: .long, help: "Only calls of this tool.")
    var tool: String?
    @Option(name: .long, help: ArgumentHelp("Only calls that started at or after this time.", valueName: "TIME"))
    var since: String?
    @Flag(name: .long, help: "Draw the call trees of the matching runs.")
    var tree = false
    @Option(name: .long, help: ArgumentHelp("Write every matching call as jsonl or csv to stdout.", valueName: "FORMAT"))
    var export: ExportFormat?
    @Option(name: .long, help: "Totals per run, session, model, agent, tool, kind or outcome.")
    var by: LedgerGrouping?
    @Option(name: .long, help: "Show at most this many calls (the most recent).")
    var limit: Int = 50
    @Option(name: .long, help: ArgumentHelp("The ledger file (default: ~/.local/share/tokenworks/ledger.sqlite).",
                                            valueName: "PATH"))
    var ledger: String?

    func run() async throws {
        let store = try ledger.map { try LedgerStore(path: $0) } ?? LedgerStore()
        var filter = LedgerFilter(runID: run, agent: agent, model: model, tool: tool)
        if let since { filter.since = try Self.parseTime(since, now: Date()) }

        if let export {
            try await store.export(matching: filter, format: export, to: FileHandle.standardOutput)
            return
        }
        let totals = try await store.total(matching: filter)
        if let by {
            let groups = try await store.totals(matching: filter, by: by)
            if json {
                print(Self.encode(groups.map { GroupRow(key: $0.key, totals: $0.totals) }))
            } else {
                for group in groups { print(Self.pad(group.key ?? "(none)", 40) + Self.describe(group.totals)) }
                print("total: " + Self.describe(totals))
            }
            return
        }
        if tree {
            let records = try await store.records(matching: filter)
            var runs: [String] = []
            for record in records where !runs.contains(record.runID) { runs.append(record.runID) }
            var output: [RunTree] = []
            for runID in runs.suffix(max(1, limit)) {
                let roots = try await store.tree(run: runID)
                output.append(RunTree(run: runID, roots: roots))
            }
            if json {
                print(Self.encode(output.map { ["run": AnyEncodable($0.run), "calls": Self.treeJSON($0.roots)] }))
            } else {
                for run in output {
                    print("run \(run.run)")
                    for root in run.roots {
                        for (depth, node) in root.depthFirst() {
                            print("  " + String(repeating: "  ", count: depth) + CallTree.line(for: node))
                        }
                    }
                }
                print("total: " + Self.describe(totals))
            }
            return
        }
        filter.latest = max(0, limit)
        let records = try await store.records(matching: filter)
        if json {
            print(Self.encode(["calls": AnyEncodable(records), "totals": AnyEncodable(totals)]))
            return
        }
        let header: [String] = [Self.pad("started (UTC)", 21), Self.pad("kind", 7), Self.pad("agent", 12),
                                Self.pad("model/tool", 34), Self.pad("prompt", 8), Self.pad("cached", 8),
                                Self.pad("gen", 6), Self.pad("tok/s", 8), Self.pad("local", 12), Self.pad("cloud", 12),
                                "outcome"]
        print(header.joined())
        for r in records { print(Self.row(r)) }
        print("total (\(totals.calls) calls): " + Self.describe(totals))
    }

    // MARK: Formatting

    struct RunTree {
        var run: String
        var roots: [CallTreeNode]
    }

    struct GroupRow: Encodable {
        var key: String?
        var totals: CallTotals
    }

    /// One call as a table row.
    static func row(_ r: CallRecord) -> String {
        let speed: String = r.tokensPerSecond.map { String(format: "%.1f", $0) } ?? ""
        let fields: [String] = [
            pad(time(r.startedAt), 21), pad(r.kind.rawValue, 7), pad(r.agent ?? "", 12), pad(r.tool ?? r.model ?? "", 34),
            pad(String(r.tokens.prompt), 8), pad(String(r.tokens.cached), 8), pad(String(r.tokens.generated), 6),
            pad(speed, 8), pad(r.localCost.description, 12), pad(r.cloudCost?.description ?? "", 12), r.outcome.rawValue,
        ]
        return fields.joined()
    }

    static func treeJSON(_ nodes: [CallTreeNode]) -> AnyEncodable {
        AnyEncodable(nodes.map { node -> [String: AnyEncodable] in
            ["record": AnyEncodable(node.record), "totals": AnyEncodable(node.totals),
             "children": treeJSON(node.children)]
        })
    }

    static func describe(_ t: CallTotals) -> String {
        "\(t.calls) calls, \(t.failures) not ok, tokens prompt \(t.tokens.prompt) (cached \(t.tokens.cached)) "
            + "generated \(t.tokens.generated), compute \(String(format: "%.2f", t.computeSeconds)) s, "
            + "local \(t.localCost), cloud-equivalent \(t.cloudCost)"
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// "2025-07-01", "2025-07-01T12:00:00Z", or an age: "45s", "30m", "2h", "7d" before `now`.
    static func parseTime(_ text: String, now: Date) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount >= 0 {
            let seconds: Double? = ["s": 1, "m": 60, "h": 3600, "d": 86400][String(unit)]
            if let seconds { return now.addingTimeInterval(-amount * seconds) }
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: trimmed) { return date }
        iso.formatOptions = [.withFullDate]
        if let date = iso.date(from: trimmed) { return date }
        throw CLIError.message("--since \(text): expected a date (2025-07-01), a UTC time (2025-07-01T12:00:00Z) "
                               + "or an age (30m, 2h, 7d)")
    }
}

/// Type-erased Encodable for ad-hoc JSON objects.
struct AnyEncodable: Encodable {
    private let encodeValue: (any Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}

extension ExportFormat: ExpressibleByArgument {}
extension LedgerGrouping: ExpressibleByArgument {}
