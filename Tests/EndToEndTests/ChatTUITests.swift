// The real binary, the real default model, a real terminal (tmux): turns stream, panes match the ledger, resize,
// Ctrl-C, quit and SIGTERM behave, sessions resume, themes and NO_COLOR recolour, streaming costs little CPU.
import Foundation
import Ledger
import TestSupport
import TUI
import XCTest

final class ChatTUITests: XCTestCase {
    static let question = "What is the capital of France?"
    /// The cost pane's totals line "in 37 (0 cached)  out 24", anchored at the pane's left border.
    static let promptTokens = #"│in ([\d.]+[kM]?) \("#
    static let cachedTokens = #"│in \S+ \(([\d.]+[kM]?) cached\)"#
    static let generatedTokens = #"cached\)  out ([\d.]+[kM]?)"#

    func testChatTurnStreamsTheModelsAnswerIntoTheTranscript() throws {
        let h = try ChatHarness()
        let expected = h.askAnswer(Self.question)
        XCTAssertFalse(expected.isEmpty, "ask gave no answer")
        let tmux = try h.terminal()
        try h.startChat(tmux)
        let screen = ChatScreen(try h.send(Self.question, tmux, calls: 1))
        // The transcript wraps lines, so compare the answer's first words.
        let words = expected.split(separator: " ").prefix(4).joined(separator: " ")
        XCTAssertTrue(screen.text.contains(words), "expected '\(words)' on screen:\n\(screen.text)")
        XCTAssertTrue(screen.text.contains("You"), screen.text)
    }

    func testCostAndLatencyPanesShowTheLedgersFigures() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        let screen = ChatScreen(try h.send(Self.question, tmux, calls: 1))

        let records = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        XCTAssertEqual(records.count, 1, "one model call in the ledger")
        let r = try XCTUnwrap(records.first)
        XCTAssertGreaterThan(r.tokens.prompt, 0)
        XCTAssertGreaterThan(r.tokens.generated, 0)
        XCTAssertGreaterThan(r.localCost, .zero)
        XCTAssertGreaterThan(r.cloudCost ?? .zero, .zero)
        XCTAssertNotNil(r.sessionID)

        XCTAssertEqual(screen.value(Self.promptTokens), Format.tokens(r.tokens.prompt), screen.text)
        XCTAssertEqual(screen.value(Self.cachedTokens), Format.tokens(r.tokens.cached), screen.text)
        XCTAssertEqual(screen.value(Self.generatedTokens), Format.tokens(r.tokens.generated), screen.text)
        XCTAssertEqual(screen.value(#"│local (\$\S+)"#), Format.dollars(r.localCost.dollars), screen.text)
        XCTAssertEqual(screen.value(#"cloud≈ (\$\S+)"#), Format.dollars(r.cloudCost?.dollars ?? -1), screen.text)

        let ttft = try XCTUnwrap(r.timeToFirstToken)
        let speed = try XCTUnwrap(r.tokensPerSecond)
        XCTAssertGreaterThan(ttft, 0)
        XCTAssertGreaterThan(speed, 0)
        XCTAssertEqual(screen.value(#"TTFT\s+(\S+)"#), Format.milliseconds(ttft), screen.text)
        XCTAssertEqual(screen.value(#"tok/s\s+(\S+)"#), Format.fixed(speed, 1), screen.text)
        guard case .number(let p50)? = r.details?["itl_p50_ms"] else { return XCTFail("no ITL p50 in the ledger") }
        XCTAssertGreaterThan(p50, 0)
        XCTAssertEqual(screen.value(#"ITL p50\s+(\S+)"#), Format.milliseconds(p50 / 1000), screen.text)
    }

    func testSecondTurnReusesTheCacheAndTotalsAddUp() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        try h.send(Self.question, tmux, calls: 1)
        let screen = ChatScreen(try h.send("And of Italy?", tmux, calls: 2))
        let records = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        XCTAssertEqual(records.count, 2)
        XCTAssertGreaterThan(records[1].tokens.cached, 0, "the second turn reads the first from the KV cache")
        let total = try await h.ledger().total(matching: LedgerFilter(kinds: [.model]))
        XCTAssertEqual(screen.value(Self.promptTokens), Format.tokens(total.tokens.prompt), screen.text)
        XCTAssertEqual(screen.value(Self.cachedTokens), Format.tokens(total.tokens.cached), screen.text)
        XCTAssertEqual(screen.value(Self.generatedTokens), Format.tokens(total.tokens.generated), screen.text)
    }

    func testResizingKeepsEveryPaneInsideTheWindow() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal(width: 120, height: 40)
        try h.startChat(tmux)
        try h.send(Self.question, tmux, calls: 1)
        for (width, height) in [(80, 24), (50, 14), (100, 30)] {
            try tmux.resize(width: width, height: height)
            let screen = ChatScreen(try h.wait(tmux, "no sane screen at \(width)×\(height)", timeout: 10) { lines in
                let s = ChatScreen(lines)
                return lines.count == height && s.fits(width: width, height: height) && s.isWorkbench
                    && lines.last?.contains("◆") == true && lines.first?.hasPrefix("╭") == true
            })
            XCTAssertEqual(screen.lines.first { $0.contains(" Cost ") } != nil, width >= 72,
                           "side panes only from 72 columns, at \(width)×\(height):\n\(screen.text)")
        }
        try tmux.resize(width: 20, height: 6)
        try h.wait(tmux, "no 'too small' message at 20×6", timeout: 10) { $0.contains { $0.contains("too small") } }
        try tmux.resize(width: 120, height: 40)
        let back = ChatScreen(try h.wait(tmux, "the workbench did not come back", timeout: 10) { lines in
            ChatScreen(lines).isWorkbench && ChatScreen(lines).costCallCount == 1
        })
        XCTAssertTrue(back.text.contains(Self.question), back.text)
    }

    func testCtrlCCancelsALongReplyAndTheLedgerSaysSo() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux, flags: "--temperature 0 --max-tokens 2000")
        tmux.type("Write a very long story about a dragon who learns to fly, with many chapters.")
        tmux.press("Enter")
        try h.wait(tmux, "the reply did not start streaming", timeout: 60) { lines in
            // The running call's details in the call tree count its tokens as they stream.
            let s = ChatScreen(lines)
            return s.isGenerating && (s.value(#"│tokens\s+(\d+)\s+│"#).flatMap { Int($0) } ?? 0) >= 5
        }
        tmux.press("C-c")
        let screen = ChatScreen(try h.wait(tmux, "Ctrl-C did not stop the reply", timeout: 10) { lines in
            !ChatScreen(lines).isGenerating && ChatScreen(lines).costCallCount == 1
        })
        XCTAssertTrue(screen.text.contains("cancelled"), screen.text)
        let records = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        let r = try XCTUnwrap(records.first)
        XCTAssertEqual(r.outcome, .cancelled)
        XCTAssertGreaterThan(r.tokens.generated, 0)
        XCTAssertLessThan(r.tokens.generated, 2000)
    }

    func testQuittingRestoresTheTerminalSettings() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let before = h.home.appendingPathComponent("stty-before")
        let after = h.home.appendingPathComponent("stty-after")
        tmux.runInShell(ChatHarness.saveTerminalSettings(to: before) + "; \(h.chatCommand()); "
                        + ChatHarness.saveTerminalSettings(to: after))
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        tmux.press("C-c")
        try h.wait(tmux, "no quit prompt after one Ctrl-C", timeout: 15) { $0.contains { $0.contains("again to quit") } }
        tmux.press("C-c")
        let settings = try h.waitForFile(after, tmux, "the program did not end after two Ctrl-C", timeout: 20)
        XCTAssertEqual(settings, try String(contentsOf: before, encoding: .utf8))
        let screen = try h.wait(tmux, "the shell did not come back", timeout: 10) { lines in
            lines.contains { $0.contains("tokenworks chat --resume") }
        }
        XCTAssertFalse(ChatScreen(screen).isWorkbench, "the alternate screen is gone")
    }

    func testSIGTERMRestoresTheTerminalSettings() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let before = h.home.appendingPathComponent("stty-before")
        let after = h.home.appendingPathComponent("stty-after")
        let pid = h.home.appendingPathComponent("pid")
        tmux.runInShell(ChatHarness.saveTerminalSettings(to: before)
                        + "; sh -c 'echo $$ > \"\(pid.path)\"; exec \(h.chatCommand())'; "
                        + ChatHarness.saveTerminalSettings(to: after))
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        let text = try String(contentsOf: pid, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let process = try XCTUnwrap(Int32(text))
        XCTAssertEqual(kill(process, SIGTERM), 0)
        let settings = try h.waitForFile(after, tmux, "the shell did not resume after SIGTERM", timeout: 20)
        XCTAssertEqual(settings, try String(contentsOf: before, encoding: .utf8))
    }

    func testResumeRestoresTheConversationAndTheSessionsCosts() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        try h.send(Self.question, tmux, calls: 1)
        tmux.press("C-q")
        let shell = try h.wait(tmux, "no resume hint after quitting", timeout: 20) { lines in
            lines.contains { $0.contains("tokenworks chat --resume ") }
        }
        let hint = try XCTUnwrap(shell.last { $0.contains("tokenworks chat --resume ") })
        let id = try XCTUnwrap(hint.components(separatedBy: "--resume ").last?.trimmingCharacters(in: .whitespaces))
        XCTAssertTrue(FileManager.default.fileExists(atPath: h.sessionsDirectory.appendingPathComponent(id + ".json").path))
        let session = try await h.ledger().session(id: id)
        XCTAssertEqual(session?.title, Self.question)

        tmux.runInShell("clear")
        try h.startChat(tmux, arguments: "--resume")
        let screen = ChatScreen(try h.wait(tmux, "the resumed session shows no history", timeout: 30) { lines in
            let s = ChatScreen(lines)
            return s.text.contains(Self.question) && s.costCallCount == 1
        })
        XCTAssertTrue(screen.text.contains("resumed session " + id), screen.text)
    }

    func testPlainChatAnswersPipedInput() throws {
        let h = try ChatHarness()
        let expected = h.askAnswer(Self.question)
        let flags = ChatHarness.fastFlags.split(separator: " ").map(String.init)
        let (status, output) = h.runBinary(["chat", "--plain"] + flags, stdin: Self.question + "\n/quit\n")
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), expected)
    }

    func testChatFallsBackToLineModeWhenInputIsNotATerminal() throws {
        let h = try ChatHarness()
        let expected = h.askAnswer(Self.question)
        let flags = ChatHarness.fastFlags.split(separator: " ").map(String.init)
        let (status, output) = h.runBinary(["chat"] + flags, stdin: Self.question + "\n")
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), expected)
    }

    func testAgentTurnShowsToolCallsAndSubAgentsInTheCallTree() async throws {
        let h = try ChatHarness()
        // Two profiles whose first reply must be a tool call (tool_first), and tool instructions whose example
        // names the sub-agent tool, so the greedy tiny model delegates: probe → ask_helper → helper → a tool.
        try h.writeProfile("probe", """
            description: Hands every question to the helper.
            system: You never answer yourself; you ask the helper.
            tools: [ask_helper]
            tool_first: true
            budget: {max_steps: 2, max_depth: 1}
            generation: {max_tokens: 60, temperature: 0}
            """)
        try h.writeProfile("helper", """
            description: Computes with the calculator.
            system: You compute with the calculator.
            tools: [calculator]
            tool_first: true
            budget: {max_steps: 2}
            generation: {max_tokens: 60, temperature: 0}
            """)
        try h.writePrompt("tools-json.md", """
            You can use these tools:
            {{tools}}

            Reply with one JSON object and nothing else.
            To use a tool, reply {"tool": "ask_helper", "arguments": {"task": "What is 17 times 23?"}}.
            When you know the answer, reply {"answer": "YOUR ANSWER"}.
            """)
        let tmux = try h.terminal(width: 160, height: 60)
        try h.startChat(tmux, arguments: "--agent probe")
        tmux.type("What is 17 times 23?")
        tmux.press("Enter")
        try h.wait(tmux, "the agent run did not start", timeout: 30) { ChatScreen($0).isGenerating }
        let screen = ChatScreen(try h.wait(tmux, "the agent run did not finish", timeout: 180) { lines in
            !ChatScreen(lines).isGenerating && ChatScreen(lines).text.contains("agent probe stopped")
        })
        for title in ["agent probe", "ask_helper", "agent helper"] {
            XCTAssertTrue(screen.text.contains(title), "'\(title)' missing from the call tree:\n\(screen.text)")
        }

        let records = try await h.ledger().records()
        let session = try XCTUnwrap(records.first?.sessionID)
        XCTAssertTrue(records.allSatisfy { $0.sessionID == session }, "every call belongs to the chat's session")
        let delegation = try XCTUnwrap(records.first { $0.tool == "ask_helper" })
        let helper = try XCTUnwrap(records.first { $0.kind == .agent && $0.agent == "helper" })
        XCTAssertEqual(helper.parentID, delegation.id, "the sub-agent hangs under the tool call that started it")
        let helperSteps = records.filter { $0.kind == .model && $0.parentID == helper.id }.map(\.id)
        XCTAssertFalse(helperSteps.isEmpty)
        XCTAssertTrue(records.contains { $0.kind == .tool && helperSteps.contains($0.parentID ?? "") },
                      "the helper's own tool call is in the ledger under its model call")
        XCTAssertEqual(screen.costCallCount, records.filter { $0.kind == .model }.count)
    }

    func testAnInvalidBudgetIsRefusedBeforeAnythingStarts() {
        guard let h = try? ChatHarness() else { return XCTFail("no harness") }
        let (status, output) = h.runBinary(["chat", "--budget", "lots"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("'lots' is not a budget: use dollars ($0.50) or tokens (20k, 1.5M, 20000); "
                                      + "'off' removes it"), output)
    }

    func testResumingAnUnknownSessionSaysWhereSessionsAre() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        tmux.runInShell(h.chatCommand("--resume nosuch"))
        let message = "no session 'nosuch' in \(h.sessionsDirectory.path) (no sessions are saved there yet): "
            + "run `tokenworks chat --resume` for the latest one"
        // The message may wrap at the terminal's width: compare the screen with line breaks removed.
        try h.wait(tmux, "no 'no session' message", timeout: 30) { $0.joined().contains(message) }
    }

    /// The interface thread's CPU time per second while a long reply streams (TOKENWORKS_CPU_REPORT).
    func testInterfaceUsesLittleCPUPerSecondWhileStreaming() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let report = h.home.appendingPathComponent("cpu.json")
        tmux.runInShell("TOKENWORKS_CPU_REPORT='\(report.path)' " + h.chatCommand(flags: "--temperature 0 --max-tokens 200"))
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        try h.send("Write a long story about a dragon who learns to fly.", tmux, calls: 1, timeout: 120)
        tmux.press("C-q")
        let text = try h.waitForFile(report, tmux, "no CPU report after quitting", timeout: 20) { text in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
        }
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Double]
        let ui = try XCTUnwrap(json?["ui_thread_cpu_seconds"])
        let total = try XCTUnwrap(json?["process_cpu_seconds"])
        let wall = try XCTUnwrap(json?["wall_seconds"])
        XCTAssertGreaterThan(ui, 0)
        // Per second of wall time, not as a share of the process: a slower model (a loaded machine) streams
        // longer and costs the interface more frames, but never more per second.
        XCTAssertLessThan(ui / wall, 0.15, "the interface took \(ui) s of CPU in \(wall) s")
        print("interface CPU: \(ui) s in \(wall) s (\(Int((ui / wall * 100).rounded()))% of a core); "
              + "the process: \(total) s")
    }

    /// The same report's rendering figures: frames come at the frame rate (not one per token), only the first
    /// is a full repaint, and the others send a small part of the screen.
    func testStreamingDrawsFewFramesAndFewCellsPerFrame() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let report = h.home.appendingPathComponent("cpu.json")
        tmux.runInShell("TOKENWORKS_CPU_REPORT='\(report.path)' " + h.chatCommand(flags: "--temperature 0 --max-tokens 200"))
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        try h.send("Write a long story about a dragon who learns to fly.", tmux, calls: 1, timeout: 120)
        tmux.press("C-q")
        let text = try h.waitForFile(report, tmux, "no CPU report after quitting", timeout: 20) { text in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
        }
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Double])
        let frames = try XCTUnwrap(json["frames"]), full = try XCTUnwrap(json["full_frames"])
        let cells = try XCTUnwrap(json["cells_drawn"]), screen = try XCTUnwrap(json["screen_cells"])
        let wall = try XCTUnwrap(json["wall_seconds"]), render = try XCTUnwrap(json["render_seconds"])
        XCTAssertEqual(screen, 120 * 40)
        XCTAssertEqual(full, 1, "one full repaint, at the start")
        // 30 frames a second while streaming, whatever the token rate, plus frames for typed keys.
        XCTAssertLessThan(frames / wall, 40, "\(frames) frames in \(wall) s")
        let perFrame = (cells - full * screen) / max(1, frames - full)
        XCTAssertLessThan(perFrame, screen / 10, "cells per incremental frame")
        XCTAssertGreaterThan(render, 0)
        print("rendering: \(Int(frames)) frames in \(wall) s, \(Int(perFrame)) cells per incremental frame, "
              + "\(render) s in view + diff + draw")
    }

    /// The SGR parameter lists on screen contain `sequence` (e.g. [48, 5, 234]: background colour 234).
    private static func shows(_ renditions: [[Int]], _ sequence: [Int]) -> Bool {
        renditions.contains { list in
            list.count >= sequence.count
                && (0...(list.count - sequence.count)).contains { Array(list[$0..<($0 + sequence.count)]) == sequence }
        }
    }

    /// The 256-colour background the theme `name` gives the pane borders, as the terminal receives it.
    private static func borderBackground(_ name: String) throws -> [Int] {
        let loader = ThemeLoader(directories: [TestResources.repositoryRoot.appendingPathComponent("themes").path])
        let theme = try loader.load(named: name).degraded(to: .ansi256)
        guard case .indexed(let n) = theme[.border].background else {
            throw ScreenFailure(what: "theme \(name) has no 256-colour border background", screen: [])
        }
        return [48, 5, Int(n)]
    }

    // The colour tests set NO_COLOR themselves: `swift test` runs tests with NO_COLOR=1, which the terminal's
    // programs inherit. An empty NO_COLOR means colour (https://no-color.org).
    func testThemeCommandRecoloursTheRunningWorkbench() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        let dark = try Self.borderBackground("dark"), light = try Self.borderBackground("light")
        XCTAssertNotEqual(dark, light)
        tmux.runInShell("NO_COLOR= TERM=xterm-256color " + h.chatCommand())
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        XCTAssertNotNil(tmux.waitForScreen(timeout: 10) { _ in
            Self.shows(TmuxSession.graphicRenditions(in: tmux.captureWithAttributes()), dark)
        }, "the dark theme's border colour \(dark) is not on screen")
        let before = tmux.capture()
        tmux.type("/theme light")
        tmux.press("Enter")
        try h.wait(tmux, "no 'theme light' notice", timeout: 20) { $0.last?.contains("theme light") == true }
        var renditions: [[Int]] = []
        XCTAssertNotNil(tmux.waitForScreen(timeout: 10) { _ in
            renditions = TmuxSession.graphicRenditions(in: tmux.captureWithAttributes())
            return Self.shows(renditions, light) && !Self.shows(renditions, dark)
        }, "the light theme's border colour \(light) did not replace \(dark): \(Set(renditions.map { $0 }))")
        XCTAssertEqual(Array(tmux.capture().dropLast()), Array(before.dropLast()), "the same text, recoloured")
    }

    /// Whether an SGR parameter list sets a colour: 30-38/40-48 (ANSI and extended), 90-97/100-107 (bright).
    private static func setsColour(_ list: [Int]) -> Bool {
        list.contains { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0)
            || (100...107).contains($0) }
    }

    func testAnEightColourTerminalGetsOnlyTheEightANSIColours() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        tmux.runInShell("NO_COLOR= TERM=xterm " + h.chatCommand())
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        let renditions = TmuxSession.graphicRenditions(in: tmux.captureWithAttributes())
        XCTAssertTrue(renditions.contains(where: Self.setsColour), "no colour at all: \(renditions)")
        let beyond = renditions.filter { $0.contains { [38, 48].contains($0) || (90...107).contains($0) } }
        XCTAssertEqual(beyond, [], "colours an 8-colour terminal does not have")
    }

    func testNoColorDropsEveryColourButKeepsAttributes() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        tmux.runInShell("NO_COLOR=1 TERM=xterm-256color " + h.chatCommand())
        try h.wait(tmux, "the workbench did not appear", timeout: 60) { ChatScreen($0).isWorkbench }
        let renditions = TmuxSession.graphicRenditions(in: tmux.captureWithAttributes())
        XCTAssertEqual(renditions.filter(Self.setsColour), [], "NO_COLOR is set")
        XCTAssertTrue(renditions.contains { $0.contains(1) || $0.contains(7) },
                      "roles stay apart by bold and reverse video: \(renditions)")
    }
}
