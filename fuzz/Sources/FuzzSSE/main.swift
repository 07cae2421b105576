// Fuzz target: the server-sent-events parser that reads a remote endpoint's stream. The first input byte
// chooses a chunk size; the events must be the same whether the rest arrives whole or in chunks (line ends
// split across chunks included), and an over-long event is refused with a message, never buffered unbounded.
import Agents
import FuzzSupport

runFuzzer { bytes in
    guard let first = bytes.first else { return }
    let stream = Array(bytes.dropFirst())
    let chunk = Int(first % 17) + 1
    func parse(_ pieces: [ArraySlice<UInt8>]) -> Result<[SSEEvent], AgentsError> {
        var parser = SSEParser(maxEventBytes: 4096, source: "fuzz")
        var events: [SSEEvent] = []
        do {
            for piece in pieces { events += try parser.feed(piece) }
        } catch {
            return .failure(error)
        }
        parser.finish()
        return .success(events)
    }
    let whole = parse([stream[...]])
    let pieces = stride(from: 0, to: stream.count, by: chunk).map { stream[$0..<min(stream.count, $0 + chunk)] }
    let chunked = parse(pieces)
    switch (whole, chunked) {
    case (.success(let a), .success(let b)):
        if a != b { fuzzFailure("chunks of \(chunk) bytes change the events: \(a) vs \(b)") }
        for event in a where event.data.utf8.count > 4096 { fuzzFailure("an event past the limit was kept") }
    case (.failure(let e), .failure):
        if "\(e)".isEmpty { fuzzFailure("empty error message") }
    default:
        fuzzFailure("whole and chunked streams disagree: \(whole) vs \(chunked)")
    }
}
