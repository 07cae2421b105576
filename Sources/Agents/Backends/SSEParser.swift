// An incremental parser of the text/event-stream format (WHATWG HTML §9.2.6): bytes in as they arrive from the
// network, complete events out. Its own type, free of any I/O, so it can be fed arbitrary bytes by a fuzzer.

/// Turns chunks of an event stream into events.
///
/// Why hand-written: the format is small, the rules about line ends that straddle chunks (`\r` at the end of
/// one chunk, `\n` at the start of the next) and about the `data` buffer are easy to get subtly wrong, and the
/// streamed bytes come from a remote server we do not control, so the parser bounds how much it buffers.
///
/// ```swift
/// var parser = SSEParser()
/// for event in try parser.feed(Array("data: {\"a\":1}\n\n".utf8)) { print(event.data) }
/// ```
public struct SSEParser: Sendable {
    /// The longest event (data plus the line being read) kept in memory, in bytes.
    public let maxEventBytes: Int
    /// Named in errors ("http://host/v1/chat/completions").
    public let source: String

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType = ""
    private var lastEventID = ""
    private var retry: Int?
    /// The previous chunk ended in `\r`: a `\n` first in the next chunk belongs to the same line end.
    private var pendingCR = false
    /// Still at the very start of the stream, where a UTF-8 byte order mark is dropped.
    private var atStart = true
    /// Bytes of a possible BOM seen at the start so far.
    private var bomBytes: [UInt8] = []

    public init(maxEventBytes: Int = 8 << 20, source: String = "event stream") {
        self.maxEventBytes = max(64, maxEventBytes)
        self.source = source
    }

    /// Reads `bytes` (any split of the stream) and returns the events they complete, in order.
    /// - Throws: `AgentsError.remoteMalformed` when one event grows past `maxEventBytes`.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws(AgentsError) -> [SSEEvent]
        where Bytes.Element == UInt8
    {
        var events: [SSEEvent] = []
        for byte in bytes {
            if atStart {
                // The stream may begin with the UTF-8 BOM EF BB BF, which is not part of the first line.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomBytes.count] {
                    bomBytes.append(byte)
                    if bomBytes.count == bom.count { atStart = false }
                    continue
                }
                atStart = false
                let seen = bomBytes
                bomBytes = []
                for b in seen { try take(b, into: &events) }
            }
            try take(byte, into: &events)
        }
        return events
    }

    /// Ends the stream: an event that was not closed by a blank line is dropped, as the format says.
    public mutating func finish() {
        line.removeAll()
        data.removeAll()
        hasData = false
        eventType = ""
        pendingCR = false
    }

    private mutating func take(_ byte: UInt8, into events: inout [SSEEvent]) throws(AgentsError) {
        switch byte {
        case UInt8(ascii: "\n"):
            if pendingCR {
                pendingCR = false
                return
            }
            endLine(into: &events)
        case UInt8(ascii: "\r"):
            pendingCR = true
            endLine(into: &events)
        default:
            pendingCR = false
            line.append(byte)
            if line.count + data.count > maxEventBytes {
                throw AgentsError.remoteMalformed(endpoint: source,
                                                  problem: "an event is longer than \(maxEventBytes) bytes")
            }
        }
    }

    private mutating func endLine(into events: inout [SSEEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }  // a comment (servers send them as keep-alives)
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            data.append(contentsOf: value)
            data.append(UInt8(ascii: "\n"))
            hasData = true
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
               let number = Int(String(decoding: value, as: UTF8.self)) {
                retry = number
            }
        default:
            break  // unknown fields are ignored
        }
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = ""
            retry = nil
        }
        guard hasData else { return }
        if data.last == UInt8(ascii: "\n") { data.removeLast() }
        events.append(SSEEvent(type: eventType.isEmpty ? "message" : eventType,
                               data: String(decoding: data, as: UTF8.self), lastEventID: lastEventID, retry: retry))
    }
}
