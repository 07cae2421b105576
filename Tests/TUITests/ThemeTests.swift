// Theme loading from the shipped files, exact error messages, and degradation to 8 colours and NO_COLOR.
import TUI
import XCTest

final class ThemeTests: XCTestCase {
    /// The repository's themes/ directory (the real files the workbench ships).
    private var themesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes").path
    }

    func testEveryShippedThemeLoadsAndStylesEveryRole() throws {
        let loader = ThemeLoader(directories: [themesDirectory])
        XCTAssertEqual(loader.availableThemes(), ["dark", "high-contrast", "light", "mono", "sixteen"])
        for name in loader.availableThemes() {
            let theme = try loader.load(named: name)
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(Set(theme.styles.keys), Set(ThemeRole.allCases), "\(name) leaves roles out")
        }
    }

    func testColoursAreReadAsNamesIndicesAndHex() {
        XCTAssertEqual(ThemeLoader.parseColor("bright_blue"), .brightBlue)
        XCTAssertEqual(ThemeLoader.parseColor("Bright-Red"), .brightRed)
        XCTAssertEqual(ThemeLoader.parseColor("default"), .default)
        XCTAssertEqual(ThemeLoader.parseColor("3"), .yellow)
        XCTAssertEqual(ThemeLoader.parseColor("208"), .indexed(208))
        XCTAssertEqual(ThemeLoader.parseColor("#7aa2f7"), .rgb(0x7a, 0xa2, 0xf7))
        XCTAssertEqual(ThemeLoader.parseColor("#fff"), .rgb(255, 255, 255))
        XCTAssertNil(ThemeLoader.parseColor("256"))
        XCTAssertNil(ThemeLoader.parseColor("#12345"))
    }

    func testPaletteNamesAndShorthandRolesAreResolved() throws {
        let theme = try ThemeLoader.parse(
            "palette:\n  sky: \"#7aa2f7\"\nroles:\n  user_turn: { fg: sky, bold: true }\n  dim_text: 244\n",
            file: "t.yaml")
        XCTAssertEqual(theme[.userTurn], Style(foreground: .rgb(0x7a, 0xa2, 0xf7), attributes: .bold))
        XCTAssertEqual(theme[.dimText], Style(foreground: .indexed(244)))
    }

    func testUnknownRoleErrorNamesFileLineAndKey() {
        XCTAssertThrowsError(try ThemeLoader.parse("name: x\nroles:\n  text: red\n  user_trun: blue\n", file: "x.yaml")) {
            XCTAssertEqual(
                "\($0)",
                "x.yaml:4: unknown role 'roles.user_trun': known roles are background, text, dim_text, accent, "
                    + "user_turn, assistant_turn, tool_turn, system_turn, code_block, border, focused_border, title, "
                    + "status_bar, key_hint, good, warn, bad, sparkline, selection, overlay")
        }
    }

    func testBadColourErrorNamesFileLineKeyAndValue() {
        XCTAssertThrowsError(try ThemeLoader.parse("roles:\n  text:\n    fg: \"#12zz56\"\n", file: "bad.yaml")) {
            XCTAssertEqual(
                "\($0)",
                "bad.yaml:3: 'roles.text.fg': '#12zz56' is not a colour: use a name (red, bright_blue, default…), "
                    + "a palette name, an index 0-255 or #rrggbb")
        }
    }

    func testUnknownFieldAndBadFlagAreReported() {
        XCTAssertThrowsError(try ThemeLoader.parse("roles:\n  text: { colour: red }\n", file: "f.yaml")) {
            XCTAssertEqual(
                "\($0)",
                "f.yaml:2: unknown field 'roles.text.colour': a role takes fg, bg, bold, dim, italic, underline, reverse")
        }
        XCTAssertThrowsError(try ThemeLoader.parse("roles:\n  text: { bold: maybe }\n", file: "f.yaml")) {
            XCTAssertEqual("\($0)", "f.yaml:2: 'roles.text.bold': 'maybe' is not true or false")
        }
    }

    func testYAMLSyntaxErrorGivesLineAndColumn() {
        XCTAssertThrowsError(try ThemeLoader.parse("roles:\n  text: { fg: red\n", file: "s.yaml")) { error in
            guard case .themeSyntax(let file, let line, _, _) = error as? TUIError else {
                return XCTFail("expected a syntax error, got \(error)")
            }
            XCTAssertEqual(file, "s.yaml")
            XCTAssertEqual(line, 3)
        }
    }

    func testMissingThemeNamesTheDirectoriesSearched() {
        let loader = ThemeLoader(directories: ["/nowhere/a", "/nowhere/b"])
        XCTAssertThrowsError(try loader.load(named: "solarized")) {
            XCTAssertEqual(
                "\($0)",
                "theme 'solarized' not found (looked for solarized.yaml in /nowhere/a, /nowhere/b): pick one of the "
                    + "files in themes/ or set TOKENWORKS_THEMES to a directory of theme files")
        }
    }

    func testRGBDegradesTo256ThenSixteen() {
        let orange = Color.rgb(0xff, 0x9e, 0x64)
        XCTAssertEqual(orange.degraded(to: .trueColor), orange)
        XCTAssertEqual(orange.degraded(to: .ansi256), .indexed(215))
        XCTAssertEqual(Color.rgb(0x1a, 0x1b, 0x26).degraded(to: .ansi256), .indexed(234))
        XCTAssertEqual(Color.rgb(250, 10, 10).degraded(to: .ansi16), .brightRed)
        XCTAssertEqual(Color.indexed(28).degraded(to: .ansi16), .green)
    }

    func testEightColourTerminalsTurnBrightForegroundsIntoBold() throws {
        let theme = try ThemeLoader(directories: [themesDirectory]).load(named: "sixteen").degraded(to: .ansi8)
        XCTAssertEqual(theme[.userTurn], Style(foreground: .blue, attributes: .bold))
        XCTAssertEqual(theme[.dimText], Style(foreground: .white, attributes: .dim))
        XCTAssertEqual(theme[.keyHint], Style(foreground: .black, background: .cyan, attributes: .bold))
    }

    func testNoColorDropsColoursButKeepsRolesDistinct() throws {
        let capability = ColorCapability.ansi256.honouringNoColor(["NO_COLOR": "1"])
        XCTAssertEqual(capability, .none)
        let theme = try ThemeLoader(directories: [themesDirectory]).load(named: "dark").degraded(to: capability)
        for role in ThemeRole.allCases {
            XCTAssertEqual(theme[role].foreground, .default, "\(role)")
            XCTAssertEqual(theme[role].background, .default, "\(role)")
        }
        XCTAssertTrue(theme[.userTurn].attributes.contains(.bold))
        XCTAssertTrue(theme[.selection].attributes.contains(.reverse))
        XCTAssertTrue(theme[.bad].attributes.contains(.underline))
        XCTAssertNotEqual(theme[.userTurn], theme[.assistantTurn])
        XCTAssertNotEqual(theme[.toolTurn], theme[.assistantTurn])
    }

    func testEmptyNoColorValueDoesNotDisableColour() {
        XCTAssertEqual(ColorCapability.ansi256.honouringNoColor(["NO_COLOR": ""]), .ansi256)
    }
}
