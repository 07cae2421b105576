// The agent loop: call the model, read its reply, run the tool it asked for, give it the result, repeat —
// until it answers, a budget runs out, or the task is cancelled. Sub-agents are runs of the same loop.
import Foundation
import Ledger

/// Runs agents in an environment, emitting `AgentEvent`s and writing every call to the ledger as it ends.
public struct AgentRunner: Sendable {
    public var environment: AgentEnvironment

    public init(environment: AgentEnvironment) { self.environment = environment }

    /// Where a sub-agent hangs in its parent's run.
    struct ParentLink: Sendable {
        /// The tool call that started it.
        var callID: String
        var depth: Int
        /// What the parent has left (with one level of depth used).
        var bound: Budget
    }

    /// Runs `profile` on `task` and streams its events; the stream ends after `.runFinished`. Ending the
    /// iteration early (or cancelling the consuming task) cancels the run.
    public func events(profile: AgentProfile, task: String, runID: String = UUID().uuidString) -> AsyncStream<AgentEvent> {
        AsyncStream { continuation in
            let work = Task {
                _ = await self.run(profile: profile, task: task, runID: runID,
                                   events: EventSink { continuation.yield($0) })
                continuation.finish()
            }
            continuation.onTermination = { _ in work.cancel() }
        }
    }

    /// Runs `profile` on `task` to the end, sending events to `events`. Never throws: failures, budgets and
    /// cancellation are all reasons in the result.
    public func run(profile: AgentProfile, task: String, runID: String = UUID().uuidString,
                    events: EventSink = .discard) async -> AgentRunResult {
        await run(profile: profile, task: task, runID: runID, parent: nil, events: events)
    }

    func run(profile: AgentProfile, task: String, runID: String, parent: ParentLink?,
             events: EventSink) async -> AgentRunResult {
        var loop = AgentLoop(runner: self, profile: profile, task: task, runID: runID, parent: parent, events: events)
        return await loop.run()
    }

    /// The tools a profile names, built for this run (sub-agent tools get this runner).
    func tools(for profile: AgentProfile) throws(AgentsError) -> [any Tool] {
        var result: [any Tool] = []
        for name in profile.tools {
            if let custom = environment.customTools.first(where: { $0.name == name }) {
                result.append(custom)
                continue
            }
            switch name {
            case "read_file": result.append(ReadFileTool())
            case "write_file": result.append(WriteFileTool())
            case "edit_file": result.append(EditFileTool())
            case "list_dir": result.append(ListDirTool())
            case "search_text": result.append(SearchTextTool())
            case "run_shell":
                result.append(RunShellTool(allowList: profile.shellAllowList, timeout: profile.shellTimeout))
            case "calculator": result.append(CalculatorTool())
            case "delegate":
                let others = environment.profiles.names().filter { $0 != profile.name }
                result.append(SubAgentTool(runner: self, profileName: nil, summaryText: "", available: others))
            case _ where name.hasPrefix("mcp:"):
                // mcp:SERVER is every tool of that server, mcp:SERVER/TOOL one of them (started by the caller).
                let reference = name.dropFirst(4)
                let server = String(reference.prefix { $0 != "/" })
                let tool = reference.contains("/") ? String(reference.drop { $0 != "/" }.dropFirst()) : nil
                let matches = environment.customTools.compactMap { $0 as? MCPTool }
                    .filter { $0.server == server && (tool == nil || $0.remoteName == tool) }
                guard !matches.isEmpty else {
                    throw AgentsError.unknownTool(name: name, available: AgentProfile.builtinToolNames
                                                  + environment.customTools.map(\.name))
                }
                result += matches
            case _ where name.hasPrefix("ask_"):
                let target = String(name.dropFirst(4))
                let summary = (try? environment.profiles.profile(named: target))?.summary ?? ""
                result.append(SubAgentTool(runner: self, profileName: target, summaryText: summary, available: []))
            default:
                throw AgentsError.unknownTool(name: name, available: AgentProfile.builtinToolNames
                                              + environment.customTools.map(\.name))
            }
        }
        return result
    }

    /// `record` priced with the environment's sheet, and the money it charges to budgets.
    func price(_ record: CallRecord, isLocal: Bool) -> (CallRecord, charged: Cost, notice: String?) {
        guard let prices = environment.prices else { return (record, .zero, nil) }
        var priced = record
        var notice: String?
        do {
            priced = try prices.priced(record, against: environment.comparisonModel)
        } catch {
            priced.localCost = prices.localCost(computeSeconds: record.computeSeconds)
            notice = "cloud price not computed: \(error)"
        }
        let charged = isLocal ? priced.localCost : (priced.cloudCost ?? .zero)
        return (priced, charged, notice)
    }

    /// Writes a finished call to the ledger; a failure becomes a notice, never a stopped run.
    func write(_ record: CallRecord, events: EventSink) async {
        guard let ledger = environment.ledger else { return }
        do {
            try await ledger.record(record)
        } catch {
            events.emit(.notice("ledger: \(error)"))
        }
    }
}

/// Runs `operation` with a time limit: nil when `seconds` passed first (the operation is then cancelled).
func withDeadline<T: Sendable>(_ seconds: Double?, _ operation: @escaping @Sendable () async throws -> T)
    async throws -> T?
{
    guard let seconds else { return try await operation() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { return nil }
        return first
    }
}

extension JSON {
    /// The same value as the ledger's JSON type (object key order is not kept there).
    var ledgerValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.ledgerValue))
        case .object(let o): return .object(Dictionary(o.pairs.map { ($0.key, $0.value.ledgerValue) },
                                                       uniquingKeysWith: { _, last in last }))
        }
    }
}
