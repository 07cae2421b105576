// The slash commands on the real binary in a real terminal: /clear forgets the conversation and the cache,
// /spec changes the next turn, /budget refuses turns once spent, /theme and /save persist what they should,
// /run runs an agent script with the panes live.
import Foundation
import Ledger
import TestSupport
import XCTest

final class ChatCommandTests: XCTestCase {
    static let question = "What is the capital of France?"

    /// Types a slash command and waits for the notice or transcript line it answers with.
    private func command(_ text: String, expect: String, _ h: ChatHarness, _ tmux: TmuxSession) throws {
        tmux.type(text)
        tmux.press("Enter")
        try h.wait(tmux, "'\(text)' did not answer '\(expect)'", timeout: 20) { $0.joined().contains(expect) }
    }

    func testClearForgetsTheConversationAndTheCache() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        try h.send(Self.question, tmux, calls: 1)
        try command("/clear", expect: "new conversation", h, tmux)
        try h.send(Self.question, tmux, calls: 2)
        let records = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[1].tokens.prompt, records[0].tokens.prompt, "the first turn is not in the prompt")
        XCTAssertEqual(records[1].tokens.cached, 0, "nothing is read from a dropped cache")
    }

    func testSpecModeAppliesFromTheNextTurn() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        try command("/spec lookup", expect: "speculation lookup from the next reply", h, tmux)
        XCTAssertTrue(tmux.capture().last?.contains("spec lookup") == true, "the status bar shows the mode")
        try h.send(Self.question, tmux, calls: 1)
        let records = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        let record = try XCTUnwrap(records.first)
        XCTAssertEqual(record.details?["speculation"], .string("lookup"))
    }

    func testBudgetRefusesTurnsOnceSpent() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux, arguments: "--budget 20")
        try h.send(Self.question, tmux, calls: 1)  // the first turn alone spends more than 20 tokens
        tmux.type("And of Italy?")
        tmux.press("Enter")
        try h.wait(tmux, "the second turn was not refused", timeout: 20) {
            $0.joined().contains("session budget spent")
        }
        let records = try await h.ledger().records(matching: LedgerFilter(kinds: [.model]))
        XCTAssertEqual(records.count, 1, "no model call after the budget ran out")
    }

    func testThemeAndSystemPromptAreSavedWithTheSession() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        try command("/theme light", expect: "theme light", h, tmux)
        try command("/system You are terse.", expect: "system prompt set", h, tmux)
        let files = try FileManager.default.contentsOfDirectory(at: h.sessionsDirectory, includingPropertiesForKeys: nil)
        let file = try XCTUnwrap(files.first { $0.pathExtension == "json" })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        let settings = try XCTUnwrap(json?["settings"] as? [String: Any])
        XCTAssertEqual(settings["theme"] as? String, "light")
        XCTAssertEqual(settings["systemPrompt"] as? String, "You are terse.")
    }

    func testSaveWritesTheConversationAsMarkdown() throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        try h.send(Self.question, tmux, calls: 1)
        let target = h.home.appendingPathComponent("chat.md")
        try command("/save \(target.path)", expect: "saved", h, tmux)
        let text = try String(contentsOf: target, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# \(Self.question)\n"), text)
        XCTAssertTrue(text.contains("### You\n\n\(Self.question)\n"), text)
        XCTAssertTrue(text.contains("### Assistant"), text)
        XCTAssertTrue(text.contains("1 calls · tokens"), text)
    }

    func testRunRunsAScriptWithThePanesLive() async throws {
        let h = try ChatHarness()
        let tmux = try h.terminal()
        try h.startChat(tmux)
        tmux.type("/run examples/summarize-file.yaml path=examples/sample-docs/tea.txt")
        tmux.press("Enter")
        let screen = try h.wait(tmux, "the script's output did not reach the transcript", timeout: 60) { lines in
            let s = ChatScreen(lines)
            return !s.isGenerating && s.text.contains("examples/sample-docs/tea.txt: ")
        }
        XCTAssertTrue(ChatScreen(screen).text.contains("script summarize-file"), "the call tree shows the script")
        XCTAssertEqual(ChatScreen(screen).costCallCount, 1, "the cost pane counts the script's model call")
        let records = try await h.ledger().records()
        XCTAssertEqual(records.filter { $0.kind == .model }.count, 1)
        XCTAssertEqual(records.filter { $0.kind == .scriptStep }.map { $0.agent ?? "" }.sorted(),
                       ["summarize-file", "summary", "text"])
        XCTAssertEqual(Set(records.compactMap(\.sessionID)).count, 1, "every call belongs to the chat session")
    }
}
