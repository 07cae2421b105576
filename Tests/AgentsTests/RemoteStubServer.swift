// A real HTTP server on a free loopback port whose answers a test scripts request by request: rate limits,
// server errors, slow answers and streamed completions, to test the remote backend's retries and timeouts.
import Agents
import Foundation
import TestSupport
import Hummingbird
import Logging
import ServiceLifecycle
import NIOCore

/// One scripted answer.
struct StubAnswer: Sendable {
    var status: Int = 200
    /// A `Retry-After` header value.
    var retryAfter: String?
    /// Server-sent events (each a `data:` payload) or, when nil, `body` as JSON.
    var events: [String]?
    var body: String = "{}"
    /// Seconds to wait before answering.
    var delay: Double = 0

    static func stream(_ events: [String]) -> StubAnswer { StubAnswer(events: events) }
    static func status(_ code: Int, _ body: String, retryAfter: String? = nil) -> StubAnswer {
        StubAnswer(status: code, retryAfter: retryAfter, body: body)
    }
}

/// What the stub saw of one request.
struct StubRequest: Sendable {
    var path: String
    var authorization: String?
    var body: String
}

/// The server: answers the n-th request with `answers[n]` (the last one again once they run out).
final class RemoteStubServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let seen: Locked<[StubRequest]>

    var requests: [StubRequest] { seen.value }
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    init(_ answers: [StubAnswer]) async throws {
        let seen = Locked<[StubRequest]>([])
        self.seen = seen
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            var index = 0
            seen.mutate {
                index = $0.count
                $0.append(StubRequest(path: request.uri.path, authorization: request.headers[.authorization], body: body))
            }
            let answer = answers[min(index, answers.count - 1)]
            if answer.delay > 0 { try await Task.sleep(nanoseconds: UInt64(answer.delay * 1e9)) }
            var headers = HTTPFields()
            if let retryAfter = answer.retryAfter { headers[.retryAfter] = retryAfter }
            if let events = answer.events {
                headers[.contentType] = "text/event-stream"
                let text = events.map { "data: \($0)\n\n" }.joined()
                return Response(status: .init(code: answer.status), headers: headers,
                                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            headers[.contentType] = "application/json"
            return Response(status: .init(code: answer.status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        router.post("v1/chat/completions", use: handler)
        router.get("v1/models", use: handler)
        let (ready, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        // Run under a service group and stop it gracefully: cancelling app.run() can leave a connection accepted but
        // never served, and NIO traps on its unfinished writer ("Deinited NIOAsyncWriter without calling finish()",
        // apple/swift-nio#2637) — a client retrying as a test ends hit that and took the whole test process down.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [],
                                                      logger: Logger(label: "remote-stub")))
        self.group = group
        Task { try await group.run() }
        var iterator = ready.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    func stop() {
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
    }

    deinit { stop() }

    /// A streamed chat completion saying `pieces`, then usage.
    static func completion(_ pieces: [String], prompt: Int = 11, cached: Int = 4, finish: String = "stop") -> StubAnswer {
        var events = [#"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#]
        for piece in pieces {
            let object: JSON = ["id": "c", "object": "chat.completion.chunk",
                                "choices": [["index": 0, "delta": ["content": .string(piece)], "finish_reason": .null]]]
            events.append(object.text)
        }
        events.append(#"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"\#(finish)"}]}"#)
        events.append(#"{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(pieces.count),"total_tokens":\#(prompt + pieces.count),"prompt_tokens_details":{"cached_tokens":\#(cached)}}}"#)
        events.append("[DONE]")
        return .stream(events)
    }
}

/// Every event of a backend call, or the error it ended with.
func collect(_ stream: AsyncThrowingStream<ModelEvent, any Error>) async -> (events: [ModelEvent], error: (any Error)?) {
    var events: [ModelEvent] = []
    do {
        for try await event in stream { events.append(event) }
        return (events, nil)
    } catch {
        return (events, error)
    }
}

extension Array where Element == ModelEvent {
    /// The text of the reply.
    var text: String {
        map { event -> String in
            switch event {
            case .token(let t), .text(let t): return t
            default: return ""
            }
        }.joined()
    }

    var usage: ModelUsage? {
        for case .finished(let usage) in self { return usage }
        return nil
    }
}
