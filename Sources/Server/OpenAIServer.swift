// `tokenworks serve` on the wire: Hummingbird routes for /v1/models, /v1/chat/completions and /v1/completions,
// the API key check on every route, the body size limit, and errors as OpenAI-shaped JSON.
import Agents
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The HTTP server in front of a `ModelService`.
public struct OpenAIServer: Sendable {
    public let service: ModelService

    public init(service: ModelService) {
        self.service = service
    }

    /// Listens until the task is cancelled or the process gets SIGINT/SIGTERM. `onReady` receives the port
    /// actually bound (useful with port 0).
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let configuration = service.configuration
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(GuardMiddleware(apiKey: configuration.apiKey))
        let service = self.service
        let limit = configuration.maxBodyBytes
        router.get("v1/models") { _, _ in Self.json(service.models()) }
        router.get("models") { _, _ in Self.json(service.models()) }
        router.post("v1/chat/completions") { request, _ in
            await Self.respond(request, limit: limit) { try await service.chatCompletions($0) }
        }
        router.post("v1/completions") { request, _ in
            await Self.respond(request, limit: limit) { try await service.completions($0) }
        }
        router.get("health") { _, _ in Self.json(["status": "ok"]) }

        var logger = Logger(label: "tokenworks.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "tokenworks"),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        try await app.runService()
    }

    /// Reads the body (within the limit) and turns the service's answer or error into a response.
    static func respond(_ request: Request, limit: Int,
                        _ handle: @escaping @Sendable (String) async throws -> ModelService.Answer) async -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return error(.bodyTooLarge(limit: limit))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return error(.bodyTooLarge(limit: limit))
        } catch {
            return Self.error(.malformedJSON(problem: "the body could not be read (\(error))"))
        }
        let text = String(buffer: body)
        do {
            switch try await handle(text) {
            case .json(let value):
                return json(value)
            case .events(let produce):
                let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
                return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                    let sink = EventWriter(writer)
                    await produce { text in try await sink.write(text) }
                    try await sink.finish()
                })
            }
        } catch let failure as ServerError {
            return error(failure)
        } catch {
            return Self.error(.generationFailed(reason: "\(error)"))
        }
    }

    static func json(_ value: JSON, status: Int = 200) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: value.text)))
    }

    static func error(_ failure: ServerError) -> Response {
        var response = json(OpenAIResponses.error(failure), status: failure.status)
        if failure.status == 429 { response.headers[.retryAfter] = "1" }
        if failure.status == 401 { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

/// The response body writer behind a lock-free handoff: `produce` runs in the handler's task, which owns the
/// writer, so writes are sequential by construction.
final class EventWriter: @unchecked Sendable {
    private var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) { self.writer = writer }

    func write(_ text: String) async throws { try await writer.write(ByteBuffer(string: text)) }

    func finish() async throws { try await writer.finish(nil) }
}

/// Checks the API key on every route (unknown ones included) and answers unknown routes with JSON.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: APIKey?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let apiKey, !apiKey.accepts(authorization: request.headers[.authorization]) {
            return OpenAIServer.error(.unauthorized)
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return OpenAIServer.error(.notFound(method: request.method.rawValue, path: request.uri.path))
        }
    }
}
