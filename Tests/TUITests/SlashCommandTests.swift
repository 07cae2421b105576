// Slash command parsing (with exact error messages) and Tab completion of names and arguments.
import TUI
import XCTest

final class SlashCommandTests: XCTestCase {
    func testCommandsWithAndWithoutArguments() throws {
        XCTAssertEqual(try SlashCommand.parse("/model smollm2"), .model("smollm2"))
        XCTAssertEqual(try SlashCommand.parse("/model"), .model(nil))
        XCTAssertEqual(try SlashCommand.parse("/system You are terse.\nReally."), .system("You are terse.\nReally."))
        XCTAssertEqual(try SlashCommand.parse("  /CLEAR  "), .clear)
        XCTAssertEqual(try SlashCommand.parse("/spec Lookup"), .spec("lookup"))
        XCTAssertEqual(try SlashCommand.parse("/save notes.md"), .save("notes.md"))
    }

    func testUnknownCommandSuggestsTheClosestOne() {
        XCTAssertThrowsError(try SlashCommand.parse("/thme dark")) {
            XCTAssertEqual("\($0)", "unknown command /thme: did you mean /theme? (/help lists all)")
        }
        XCTAssertThrowsError(try SlashCommand.parse("/zzzzzz")) {
            XCTAssertEqual("\($0)", "unknown command /zzzzzz: type /help to list the commands")
        }
    }

    func testRequiredArgumentIsReportedWithUsage() {
        XCTAssertThrowsError(try SlashCommand.parse("/agent")) {
            XCTAssertEqual("\($0)", "/agent needs an argument: usage /agent <name>")
        }
    }

    func testSpeculationModeIsValidated() {
        XCTAssertThrowsError(try SlashCommand.parse("/spec turbo")) {
            XCTAssertEqual("\($0)", "/spec: 'turbo' is not one of off, draft, lookup, self")
        }
    }

    func testCompletionOfAUniquePrefixCompletesAtOnce() {
        let c = SlashCompleter.complete("/th", catalog: .init())
        XCTAssertEqual(c?.candidates, ["theme"])
        XCTAssertEqual(c?.text, "/theme ", "takes an argument, so a space follows")
        XCTAssertEqual(SlashCompleter.complete("/he", catalog: .init())?.text, "/help")
    }

    func testCompletionListsEveryMatchInTableOrder() {
        XCTAssertEqual(SlashCompleter.complete("/s", catalog: .init())?.candidates, ["system", "spec", "save"])
        XCTAssertEqual(SlashCompleter.complete("/", catalog: .init())?.candidates.count, SlashCommand.specs.count)
    }

    func testArgumentsCompleteFromTheCatalog() {
        let catalog = SlashCompleter.Catalog(themes: ["dark", "high-contrast", "light"])
        let c = SlashCompleter.complete("/theme l", catalog: catalog)
        XCTAssertEqual(c?.candidates, ["light"])
        XCTAssertEqual(c?.text, "/theme light")
        XCTAssertEqual(SlashCompleter.complete("/spec ", catalog: catalog)?.candidates, ["off", "draft", "lookup", "self"])
    }

    func testNothingToCompleteGivesNil() {
        XCTAssertNil(SlashCompleter.complete("/xyz", catalog: .init()))
        XCTAssertNil(SlashCompleter.complete("hello", catalog: .init()))
        XCTAssertNil(SlashCompleter.complete("/clear x", catalog: .init()))
    }
}
