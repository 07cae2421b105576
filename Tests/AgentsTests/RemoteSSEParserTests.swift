// The event-stream parser behind remote models, against the rules of the format (WHATWG HTML §9.2.6) and
// against arbitrary splits and arbitrary bytes: the network decides where chunks end, not the server.
import Agents
import TestSupport
import XCTest

final class RemoteSSEParserTests: XCTestCase {
    private func parse(_ text: String, chunkSize: Int? = nil) throws -> [SSEEvent] {
        var parser = SSEParser()
        let bytes = Array(text.utf8)
        guard let size = chunkSize else { return try parser.feed(bytes) }
        var events: [SSEEvent] = []
        var start = 0
        while start < bytes.count {
            events += try parser.feed(bytes[start..<min(bytes.count, start + size)])
            start += size
        }
        return events
    }

    func testDataLinesOfOneEventAreJoinedWithNewlines() throws {
        let events = try parse("data: first\ndata: second\n\n")
        XCTAssertEqual(events, [SSEEvent(data: "first\nsecond")])
    }

    func testOpenAIStreamGivesOneEventPerChunkAndTheDoneMarker() throws {
        let stream = "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n"
        XCTAssertEqual(try parse(stream).map(\.data), ["{\"a\":1}", "{\"a\":2}", "[DONE]"])
    }

    func testSplittingTheStreamAnywhereGivesTheSameEvents() throws {
        let stream = "event: delta\r\nid: 7\r\ndata: {\"x\": \"é\"}\r\n\r\n: keep-alive\n\ndata:no space\r\rdata: tail\n\n"
        let whole = try parse(stream)
        XCTAssertEqual(whole.count, 3)
        for size in 1...9 { XCTAssertEqual(try parse(stream, chunkSize: size), whole, "chunks of \(size) bytes") }
    }

    func testCRLFSplitAcrossChunksIsOneLineEnd() throws {
        var parser = SSEParser()
        XCTAssertEqual(try parser.feed(Array("data: a\r".utf8)), [])
        // The \n completes the \r above; only the second line end (a blank line) dispatches.
        XCTAssertEqual(try parser.feed(Array("\n\r\n".utf8)), [SSEEvent(data: "a")])
    }

    func testCommentsAndUnknownFieldsAreIgnored() throws {
        XCTAssertEqual(try parse(": ping\nfoo: bar\ndata: x\n\n"), [SSEEvent(data: "x")])
    }

    func testEventTypeIdAndRetryAreRead() throws {
        let events = try parse("event: update\nid: 42\nretry: 1500\ndata: y\n\ndata: z\n\n")
        XCTAssertEqual(events, [SSEEvent(type: "update", data: "y", lastEventID: "42", retry: 1500),
                                SSEEvent(type: "message", data: "z", lastEventID: "42", retry: nil)])
    }

    func testOnlyOneLeadingSpaceOfAValueIsDropped() throws {
        XCTAssertEqual(try parse("data:  two spaces\n\n").first?.data, " two spaces")
    }

    func testAnEventWithoutDataIsNotDispatched() throws {
        XCTAssertEqual(try parse("event: nothing\n\n"), [])
    }

    func testAByteOrderMarkAtTheStartIsDropped() throws {
        XCTAssertEqual(try parse("\u{FEFF}data: after bom\n\n", chunkSize: 1), [SSEEvent(data: "after bom")])
    }

    func testAnUnfinishedEventAtTheEndIsDropped() throws {
        var parser = SSEParser()
        XCTAssertEqual(try parser.feed(Array("data: cut off".utf8)), [])
        parser.finish()
        XCTAssertEqual(try parser.feed(Array("data: next\n\n".utf8)), [SSEEvent(data: "next")])
    }

    func testAnOversizedEventIsRefusedWithAMessage() {
        var parser = SSEParser(maxEventBytes: 64, source: "http://h/v1/chat/completions")
        XCTAssertThrowsError(try parser.feed(Array(("data: " + String(repeating: "x", count: 100)).utf8))) { error in
            XCTAssertEqual("\(error)", "http://h/v1/chat/completions did not answer in the OpenAI format: an event is "
                           + "longer than 64 bytes")
        }
    }

    /// Seeded random bytes (heavy in the format's own characters), fed whole and in random chunks: never a
    /// crash, and the same events either way.
    func testRandomBytesInRandomChunksParseAsTheyDoWhole() throws {
        var rng = SplitMix(seed: 0x5EED)
        let alphabet: [UInt8] = Array("data: event:id:retry\r\n\n:xé{}[DONE]".utf8) + [0, 0xFF, 0xEF, 0xBB, 0xBF]
        for _ in 0..<300 {
            let count = Int(rng.next() % 200)
            let bytes = (0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var whole = SSEParser(maxEventBytes: 1 << 20)
            let expected = try whole.feed(bytes)
            var chunked = SSEParser(maxEventBytes: 1 << 20)
            var events: [SSEEvent] = []
            var start = 0
            while start < bytes.count {
                let size = 1 + Int(rng.next() % 17)
                events += try chunked.feed(bytes[start..<min(bytes.count, start + size)])
                start += size
            }
            XCTAssertEqual(events, expected)
        }
    }
}

/// The shared seeded generator, so a failing case can be replayed.
typealias SplitMix = MutationRandom
