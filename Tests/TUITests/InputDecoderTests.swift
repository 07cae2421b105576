// InputDecoder cases: bracketed paste as one event, Alt-keys, control bytes and escape sequences.
import TUI
import XCTest

final class InputDecoderTests: XCTestCase {
    private func decode(_ text: String, thenTimeout: Bool = false) -> [InputEvent] {
        var d = InputDecoder()
        var out: [InputEvent] = []
        for s in text.unicodeScalars { out += d.feed(.scalar(s)) }
        if thenTimeout { out += d.feed(.timeout) }
        return out
    }

    func testBracketedPasteIsOneEventWithNewlinesNormalised() {
        XCTAssertEqual(decode("\u{1B}[200~line one\r\nline two\rend\u{1B}[201~"), [.paste("line one\nline two\nend")])
    }

    func testPasteContentIsNeverInterpretedAsKeys() {
        XCTAssertEqual(decode("\u{1B}[200~\u{03}/quit\t\u{1B}[201~x"), [.paste("\u{03}/quit\t"), .key(.char("x"))])
    }

    func testDecoderWaitsWhileAPasteIsOpen() {
        var d = InputDecoder()
        for s in "\u{1B}[200~abc".unicodeScalars { _ = d.feed(.scalar(s)) }
        XCTAssertTrue(d.isInPaste)
        XCTAssertEqual(d.feed(.timeout), [])
        XCTAssertTrue(d.isWaitingForMore)
    }

    func testEscapeFollowedByReturnIsAltEnter() {
        XCTAssertEqual(decode("\u{1B}\r"), [.key(.alt(.enter))])
    }

    func testLoneEscapeIsReportedAfterTheTimeout() {
        XCTAssertEqual(decode("\u{1B}", thenTimeout: true), [.key(.escape)])
    }

    func testControlBytesBecomeCtrlKeys() {
        XCTAssertEqual(decode("\u{03}\n\r\t\u{7F}"), [
            .key(.ctrl("c")), .key(.ctrl("j")), .key(.enter), .key(.tab), .key(.backspace),
        ])
    }

    func testCSISequencesWithModifiers() {
        XCTAssertEqual(decode("\u{1B}[A\u{1B}[1;5C\u{1B}[5~\u{1B}[Z\u{1B}[3;3~"), [
            .key(.up), .key(Key(.right, modifiers: .ctrl)), .key(.pageUp), .key(.backTab),
            .key(Key(.delete, modifiers: .alt)),
        ])
    }

    func testSS3FunctionKeys() {
        XCTAssertEqual(decode("\u{1B}OP\u{1B}OA"), [.key(.f(1)), .key(.up)])
    }

    func testSGRMouseWheel() {
        XCTAssertEqual(decode("\u{1B}[<64;10;5M\u{1B}[<65;1;1M"), [
            .mouse(MouseEvent(.wheelUp, at: Point(x: 9, y: 4))), .mouse(MouseEvent(.wheelDown, at: Point(x: 0, y: 0))),
        ])
    }

    func testWideCharactersPassThrough() {
        XCTAssertEqual(decode("中é"), [.key(.char("中")), .key(.char("é"))])
    }
}
